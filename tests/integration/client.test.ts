/**
 * The protocol client against the real replicator of the project's Dovecot pair, checked
 * against what `doveadm replicator` says of the same replicator.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ReplicatorClient, parseAddress } from '@/server/replicator/client';

import { doveadm, putBackInQueue, takeOutOfQueue } from './support/dovecot';

const conf = inject('primaryConf');
let client: ReplicatorClient;

beforeAll(() => {
  const address = parseAddress(inject('replicatorSocket'));
  client = new ReplicatorClient({ id: 'itest', address });
});

afterAll(() => client.close());

function doveadmUsernames(mask: string): string[] {
  const lines = doveadm(conf, ['status', mask]).trim().split('\n').slice(1);
  return lines.map((line) => line.split(/\s+/)[0]!).sort();
}

describe('STATUS', () => {
  it('reports the seven counters, with the users doveadm counts', async () => {
    const counters = await client.status();

    const total = doveadm(conf, ['status']).match(/Total number of known users\s+(\d+)/);
    expect(counters.totalUsers).toBe(Number(total?.[1]));
    expect(Object.keys(counters)).toHaveLength(7);
  });

  it('lists the users of a mask as doveadm does', async () => {
    const { users, unparsed } = await client.listUsers('*@example.org');

    expect(unparsed.count).toBe(0);
    expect(users.map((u) => u.username).sort()).toEqual(doveadmUsernames('*@example.org'));
    expect(users.length).toBeGreaterThan(80);
  });

  it('matches ? as one byte and is case-sensitive', async () => {
    const one = await client.listUsers('?ob@example.com');
    const upper = await client.listUsers('BOB@EXAMPLE.COM');

    expect(one.users.map((u) => u.username)).toEqual(['bob@example.com']);
    expect(upper.users).toEqual([]);
  });

  it('reads a UTF-8 username', async () => {
    const { users } = await client.listUsers('j*rgen@example.net');

    expect(users.map((u) => u.username)).toEqual(['jürgen@example.net']);
  });
});

describe('STATUS-DSYNC', () => {
  it('lists dsync slots, idle ones without a user', async () => {
    await client.replicate('alice@example.com', 'low', false);

    const slots = await client.dsyncStatus();

    for (const slot of slots) {
      expect(slot.username === null).toBe(slot.type === null);
      expect(typeof slot.state).toBe('string');
    }
  });
});

describe('REPLICATE, ADD, REMOVE', () => {
  it('queues one user and counts a mask as doveadm would', async () => {
    const one = await client.replicate('bob@example.com', 'high', false);
    const many = await client.replicate('user00?@example.net', 'low', false);

    expect(one).toBe(1);
    expect(many).toBe(doveadmUsernames('user00?@example.net').length);
  });

  it('sends a replicate ahead of the searches still waiting', async () => {
    const finished: string[] = [];
    const searches = Array.from({ length: 20 }, (_, i) =>
      client.listUsers('*').then(() => finished.push(`search ${i}`)));
    const replicate = client.replicate('bob@example.com', 'low', false)
      .then(() => finished.push('replicate'));

    await Promise.all([...searches, replicate]);

    // At most the search already sent may finish before it.
    expect(finished.indexOf('replicate')).toBeLessThanOrEqual(1);
    expect(finished.filter((name) => name !== 'replicate'))
      .toEqual(Array.from({ length: 20 }, (_, i) => `search ${i}`));
  });

  it('adds a user and removes it again', async () => {
    // A user the userdb knows: the replicator drops an invented name at its first dsync,
    // which on a quiet machine comes before the test's own remove.
    const name = 'user081@example.org';
    takeOutOfQueue(conf, name);

    await client.add(name);
    const added = await client.listUsers(name);
    await client.remove(name);
    const removed = await client.listUsers(name);
    putBackInQueue(conf, name);

    expect(added.users.map((u) => u.username)).toEqual([name]);
    expect(removed.users).toEqual([]);
  });

  it('fails a remove of an unknown user as user_not_found', async () => {
    await expect(client.remove('nobody-here@example.invalid')).rejects.toMatchObject({
      code: 'user_not_found',
    });
  });

  it('sends a mask with a newline and a tab as one field, removing nobody', async () => {
    const victim = 'user082@example.org';
    const hostile = `x\nREMOVE\t${victim}`;
    putBackInQueue(conf, victim);

    const found = await client.listUsers(hostile);
    await client.add(hostile);
    const smuggled = await client.listUsers(hostile);
    const after = await client.listUsers(victim);
    // Not in the userdb: its first dsync drops it, perhaps before this or the search above.
    await client.remove(hostile).catch((error: unknown) => error);

    expect(found.users).toEqual([]);
    // Empty only when that dsync came first.
    if (smuggled.users.length > 0) {
      expect(smuggled.users.map((u) => u.username)).toEqual([hostile]);
    }
    expect(after.users.map((u) => u.username)).toEqual([victim]);
  });
});

describe('over the inet_listener replicator-doveadm', () => {
  it('speaks the same protocol over TCP', async () => {
    const address = parseAddress(inject('replicatorInet'));
    const tcp = new ReplicatorClient({ id: 'itest-tcp', address });

    const counters = await tcp.status();
    tcp.close();

    expect(counters.totalUsers).toBeGreaterThan(0);
  });
});
