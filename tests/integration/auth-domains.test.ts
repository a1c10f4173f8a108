/**
 * A helpdesk account limited to example.net sees and touches example.net users only, by
 * whatever mask it tries: searches, user pages, live rows, dsyncs, actions and the audit.
 */
import { io } from 'socket.io-client';
import { describe, expect, inject, it } from 'vitest';

import { call, cookieOf } from './support/auth';
import { doveadm } from './support/dovecot';

const url = inject('dashboardUrl');
const desk = inject('accounts').netHelpdesk;
const R = '/api/v1/replicators/default';
const OWN = /@example\.net$/;

/** Masks that reach beyond example.net, or could. */
const WIDE_MASKS = ['*', '*@*', '?*', '*@example.co?', '*@example.com', 'bob@example.com',
  '*@example.ne?', '*example.net', 'user001@example.net*', '*@*example.net'];

async function asDesk(method: string, path: string, body?: unknown) {
  return call(url, { method, path, body, headers: { cookie: await cookieOf(url, desk) } });
}

function knownOwnUsers(): number {
  const lines = doveadm(inject('primaryConf'), ['status', '*@example.net']).trim().split('\n');
  return lines.length - 1;
}

describe('searching', () => {
  it.each(WIDE_MASKS)('%j finds example.net users only', async (mask) => {
    const { status, body } = await asDesk('GET',
      `${R}/users?mask=${encodeURIComponent(mask)}&limit=1000`);

    expect(status).toBe(200);
    for (const user of body.users) expect(user.username).toMatch(OWN);
    expect(body.total).toBe(body.users.length);
  });

  it('* finds every example.net user', async () => {
    const { body } = await asDesk('GET', `${R}/users?mask=*&limit=1000`);

    expect(body.total).toBe(knownOwnUsers());
  });

  it('cannot open another domain\'s user, and can open its own', async () => {
    const other = await asDesk('GET', `${R}/users/${encodeURIComponent('bob@example.com')}`);
    const own = await asDesk('GET', `${R}/users/${encodeURIComponent('user001@example.net')}`);

    expect(other.status).toBe(404);
    expect(own.status).toBe(200);
  });

  it('sees only example.net users in the dsync slots', async () => {
    const { body } = await asDesk('GET', `${R}/dsyncs`);

    for (const slot of body.dsyncs) if (slot.username !== null) expect(slot.username).toMatch(OWN);
  });
});

describe('acting', () => {
  it.each(WIDE_MASKS)('may not replicate %j', async (mask) => {
    const { status, body } = await asDesk('POST', `${R}/replicate`, { mask, priority: 'low' });

    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('may replicate one of its own users', async () => {
    const { status } = await asDesk('POST', `${R}/replicate`,
      { mask: 'user001@example.net', priority: 'high' });

    expect(status).toBe(200);
  });

  it('may not add a user by replicating a name the replicator does not know', async () => {
    // The userdb takes it (it ignores the domain's case); the replicator would add it as new.
    const unknown = 'user001@EXAMPLE.NET';

    const { status, body } = await asDesk('POST', `${R}/replicate`,
      { mask: unknown, priority: 'high' });
    const known = doveadm(inject('primaryConf'), ['status', unknown]).trim().split('\n');

    expect(status).toBe(404);
    expect(body.error.code).toBe('user_not_found');
    expect(known).toHaveLength(1);
  });

  it('sees only jobs within its domains', async () => {
    const { body } = await asDesk('GET', '/api/v1/jobs?limit=100');

    expect(body.jobs.map((job: { mask: string }) => job.mask)).toContain('user001@example.net');
    for (const job of body.jobs) expect(job.mask).toMatch(OWN);
  });

  it('reads only its own audit rows about its domain', async () => {
    const { body } = await asDesk('GET', '/api/v1/audit?limit=1000');

    expect(body.total).toBeGreaterThan(0);
    for (const entry of body.entries) {
      expect(entry.actor).toBe(desk.name);
      // A domain is the same in any case (its refused replicate above is such a row).
      if (entry.mask !== null) expect(entry.mask.toLowerCase()).toMatch(OWN);
    }
  });
});

describe('live rows', () => {
  it('a watch of * sends example.net users only, all of them', async () => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false,
      extraHeaders: { cookie: await cookieOf(url, desk) } });
    try {
      const users = new Promise<{ users: { username: string }[]; total: number }>((resolve) =>
        socket.on('users', (event) => event.mask === '*' && resolve(event)));
      await socket.emitWithAck('watch', { replicator: 'default', mask: '*' });
      const event = await users;

      expect(event.total).toBe(knownOwnUsers());
      for (const user of event.users) expect(user.username).toMatch(OWN);
    } finally {
      socket.close();
    }
  });
});
