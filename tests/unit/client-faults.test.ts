/**
 * ReplicatorClient against a FAKE socket server that scripts faults a real replicator cannot
 * be made to show. The fake is not the replicator; see support/fake-socket-server.ts.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ReplicatorClient, type ReplicatorClientOptions } from '@/server/replicator/client';
import type { ReplicatorError } from '@/server/replicator/errors';

import {
  CLIENT_VERSION,
  FakeSocketServer,
  SERVER_GREETING,
} from './support/fake-socket-server';

const OVERVIEW_ANSWER =
  "Queued 'sync' requests\t0\nQueued 'high' requests\t1\nQueued 'low' requests\t2\n" +
  "Queued 'failed' requests\t0\nQueued 'full resync' requests\t0\n" +
  "Waiting 'failed' requests\t0\nTotal number of known users\t3\n\n";

const DSYNC_ANSWER = '\t-\tNot connected\n\n';
const IDLE_SLOT = { username: null, type: null, state: 'Not connected' };

/** Resolves with the error the promise fails with; fails if it succeeds instead. */
function failureOf(promise: Promise<unknown>): Promise<ReplicatorError> {
  return promise.then(
    (value) => Promise.reject(new Error(`expected a failure, got ${JSON.stringify(value)}`)),
    (error: unknown) => error as ReplicatorError,
  );
}

let fake: FakeSocketServer;
let client: ReplicatorClient;

function clientAt(socketPath: string, options: Partial<ReplicatorClientOptions> = {}) {
  client = new ReplicatorClient({
    id: 'fake',
    address: { kind: 'unix', path: socketPath },
    connectTimeoutMs: 2_000,
    commandTimeoutMs: 2_000,
    ...options,
  });
  return client;
}

beforeEach(async () => {
  fake = await FakeSocketServer.start();
});

afterEach(async () => {
  vi.useRealTimers();
  client?.close();
  await fake.stop();
});

describe('connecting', () => {
  it.each([
    { what: 'another service', greeting: 'VERSION\tdoveadm-server\t1\t0\n' },
    { what: 'protocol major 2', greeting: 'VERSION\treplicator-doveadm-server\t2\t0\n' },
    { what: 'garbage', greeting: '\x00\x7f\x01garbage\r\n' },
    { what: 'an HTTP server', greeting: 'HTTP/1.1 400 Bad Request\r\n\r\n' },
  ])('rejects $what as not_a_replicator', async ({ greeting }) => {
    const status = failureOf(clientAt(fake.path).status());
    const peer = await fake.nextPeer();

    peer.write(greeting);

    expect(await status).toMatchObject({ code: 'not_a_replicator', replicator: 'fake' });
  });

  it('times out within connectTimeoutMs when the peer never greets', async () => {
    const started = Date.now();
    const options = { connectTimeoutMs: 200, commandTimeoutMs: 5_000 };

    const error = await failureOf(clientAt(fake.path, options).status());

    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a missing socket file as no_such_socket', async () => {
    const missing = path.join(path.dirname(fake.path), 'missing.sock');

    const error = await failureOf(clientAt(missing).status());

    expect(error).toMatchObject({ code: 'no_such_socket', unreachable: true });
  });

  it('reports a stale socket file as connection_refused', async () => {
    const stale = await staleSocket();

    const error = await failureOf(clientAt(stale).status());

    expect(error).toMatchObject({ code: 'connection_refused', unreachable: true });
  });

  it('reports a plain file as not a socket', async () => {
    const plain = path.join(path.dirname(fake.path), 'plain');
    fs.writeFileSync(plain, '');

    const error = await failureOf(clientAt(plain).status());

    expect(error.code).toBe('not_a_replicator');
    expect(error.message).toContain('is not a socket');
  });

  it('reports a peer that hangs up without a greeting twice as not a replicator', async () => {
    const silent = net.createServer((socket) => socket.destroy());
    const where = path.join(path.dirname(fake.path), 'silent.sock');
    await new Promise<void>((resolve) => silent.listen(where, resolve));

    const once = await failureOf(clientAt(where).status());
    const again = await failureOf(client.status());
    silent.close();

    // Once is what a stopping Dovecot does too; every time is another service's socket.
    expect(once.code).toBe('disconnected');
    expect(again.code).toBe('not_a_replicator');
  });

  it('fails every command queued behind a connection that cannot open', async () => {
    clientAt(path.join(path.dirname(fake.path), 'missing.sock'));

    const errors = await Promise.all([failureOf(client.status()), failureOf(client.add('a'))]);

    expect(errors.map((error) => error.code)).toEqual(['no_such_socket', 'no_such_socket']);
  });

  it('sends nothing before the handshake, even a command asked before connecting', async () => {
    const status = clientAt(fake.path).status();
    const peer = await fake.nextPeer();
    expect(await peer.nextLine()).toBe(CLIENT_VERSION);

    peer.write(SERVER_GREETING);
    expect(await peer.nextLine()).toBe('STATUS');
    peer.write(OVERVIEW_ANSWER);

    await status;
    expect(peer.transcript).toEqual([
      `client: ${CLIENT_VERSION}`,
      `fake: ${SERVER_GREETING}`,
      'client: STATUS',
      `fake: ${OVERVIEW_ANSWER}`,
    ]);
  });

  it('works with a peer that greets without waiting for VERSION, as Dovecot does', async () => {
    const status = clientAt(fake.path).status();
    const peer = await fake.nextPeer();

    peer.write(SERVER_GREETING);
    expect(await peer.nextLine()).toBe(CLIENT_VERSION);
    expect(await peer.nextLine()).toBe('STATUS');
    peer.write(OVERVIEW_ANSWER);

    await expect(status).resolves.toMatchObject({ totalUsers: 3 });
  });
});

/** Takes the next connection, checks the command it sends and writes the answer. */
async function serve(command: string, answer: string) {
  const peer = await fake.nextGreetedPeer();
  expect(await peer.nextLine()).toBe(command);
  peer.write(answer);
  return peer;
}

/** A socket file nothing listens on: a hard link to a socket whose server has closed. */
async function staleSocket(): Promise<string> {
  const live = path.join(path.dirname(fake.path), 'live.sock');
  const stale = path.join(path.dirname(fake.path), 'stale.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(live, resolve));
  fs.linkSync(live, stale);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(fs.statSync(stale).isSocket()).toBe(true);
  return stale;
}

describe('commands', () => {
  it('sends the next command only after the answer to the one before', async () => {
    const status = clientAt(fake.path).status();
    const dsync = client.dsyncStatus();
    const peer = await fake.nextGreetedPeer();

    expect(await peer.nextLine()).toBe('STATUS');
    peer.write(OVERVIEW_ANSWER);
    expect(await peer.nextLine()).toBe('STATUS-DSYNC');
    peer.write(DSYNC_ANSWER);

    expect(peer.transcript.slice(2)).toEqual([
      'client: STATUS',
      `fake: ${OVERVIEW_ANSWER}`,
      'client: STATUS-DSYNC',
      `fake: ${DSYNC_ANSWER}`,
    ]);
    await expect(Promise.all([status, dsync])).resolves.toHaveLength(2);
  });

  it('sends a mask with LF and TAB as one escaped line', async () => {
    const listing = clientAt(fake.path).listUsers('x\nREMOVE\tbob@example.com');
    const peer = await fake.nextGreetedPeer();

    expect(await peer.nextLine()).toBe('STATUS\tx\x01nREMOVE\x01tbob@example.com');
    peer.write('\n');

    await expect(listing).resolves.toEqual({ users: [], unparsed: { count: 0, samples: [] } });
  });

  it('maps REMOVE answered -User not found to user_not_found', async () => {
    const removal = failureOf(clientAt(fake.path).remove('ghost@example.com'));
    const peer = await fake.nextGreetedPeer();
    expect(await peer.nextLine()).toBe('REMOVE\tghost@example.com');

    peer.write('-User not found\n');

    expect(await removal).toMatchObject({ code: 'user_not_found', command: 'REMOVE' });
  });

  it('maps REPLICATE answered -Invalid priority to refused', async () => {
    const replication = failureOf(clientAt(fake.path).replicate('bob', 'sync', true));
    const peer = await fake.nextGreetedPeer();
    expect(await peer.nextLine()).toBe('REPLICATE\tsync\tf\tbob');

    peer.write('-Invalid priority\n');

    expect(await replication).toMatchObject({ code: 'refused', command: 'REPLICATE' });
  });

  it('keeps the connection after a refusal', async () => {
    const removal = failureOf(clientAt(fake.path).remove('ghost'));
    const peer = await fake.nextGreetedPeer();
    await peer.nextLine();
    peer.write('-User not found\n');
    await removal;

    const replication = client.replicate('bob', 'low', false);
    expect(await peer.nextLine()).toBe('REPLICATE\tlow\t\tbob');
    peer.write('+1\n');

    await expect(replication).resolves.toBe(1);
    expect(fake.connections).toBe(1);
  });
});

describe('losing the connection', () => {
  it('fails a REPLICATE cut before its answer as outcome_unknown', async () => {
    const replication = failureOf(clientAt(fake.path).replicate('bob', 'high', false));
    const peer = await fake.nextGreetedPeer();
    await peer.nextLine();

    peer.cut();

    expect(await replication).toMatchObject({ code: 'outcome_unknown', command: 'REPLICATE' });
  });

  it('never sends a REPLICATE again after its answer was lost', async () => {
    const replication = failureOf(clientAt(fake.path).replicate('bob', 'high', false));
    const first = await fake.nextGreetedPeer();
    await first.nextLine();
    first.cut();
    await replication;

    const status = client.status();
    await serve('STATUS', OVERVIEW_ANSWER);
    await status;

    const replicates = fake.received().filter((line) => line.startsWith('REPLICATE'));
    expect(replicates).toEqual(['REPLICATE\thigh\t\tbob']);
    expect(fake.connections).toBe(2);
  });

  it('fails a STATUS cut in the middle of its answer as disconnected', async () => {
    const status = failureOf(clientAt(fake.path).status());
    const peer = await fake.nextGreetedPeer();
    await peer.nextLine();

    peer.write(OVERVIEW_ANSWER.slice(0, 60));
    peer.cut();

    expect(await status).toMatchObject({ code: 'disconnected', command: undefined });
  });

  it('fails an answer it cannot read as protocol_error and drops the connection', async () => {
    const dsync = failureOf(clientAt(fake.path).dsyncStatus());

    const peer = await serve('STATUS-DSYNC', 'bob@example.com\tturbo\tIdle\n\n');

    expect(await dsync).toMatchObject({ code: 'protocol_error', command: 'STATUS-DSYNC' });
    await peer.closed;
  });

  it('fails a sent command with no answer as timeout and drops the connection', async () => {
    const status = failureOf(clientAt(fake.path, { commandTimeoutMs: 200 }).status());
    const peer = await fake.nextGreetedPeer();
    await peer.nextLine();

    const error = await status;

    expect(error).toMatchObject({ code: 'timeout', command: 'STATUS' });
    await peer.closed;
  });

  it('sends a command queued behind a timed-out one on a new connection', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const status = failureOf(clientAt(fake.path, { commandTimeoutMs: 1_000 }).status());
    const first = await fake.nextGreetedPeer();
    await first.nextLine();
    vi.advanceTimersByTime(500);
    const dsync = client.dsyncStatus();

    vi.advanceTimersByTime(500);

    expect(await status).toMatchObject({ code: 'timeout', command: 'STATUS' });
    await serve('STATUS-DSYNC', DSYNC_ANSWER);
    await expect(dsync).resolves.toEqual([IDLE_SLOT]);
    expect(first.received).toEqual([CLIENT_VERSION, 'STATUS']);
  });

  it('drops the connection on an answer nothing waits for, then reconnects', async () => {
    const removal = clientAt(fake.path).remove('bob');
    const first = await fake.nextGreetedPeer();
    await first.nextLine();

    first.write('+\n+\n');
    await removal;

    const dsync = client.dsyncStatus();
    const served = serve('STATUS-DSYNC', DSYNC_ANSWER);
    await expect(dsync).resolves.toEqual([IDLE_SLOT]);
    await Promise.all([served, first.closed]);
    expect(first.received).toEqual([CLIENT_VERSION, 'REMOVE\tbob']);
  });

  // Regression: a command asked while the connection was being torn down was written to the
  // dead socket, marked as sent, and then failed with the teardown's reason.
  it('sends a command asked right after close() on a new connection', async () => {
    const status = clientAt(fake.path).status();
    await serve('STATUS', OVERVIEW_ANSWER);
    await status;

    client.close();
    const dsync = client.dsyncStatus();
    const served = serve('STATUS-DSYNC', DSYNC_ANSWER);

    await expect(dsync).resolves.toEqual([IDLE_SLOT]);
    await served;
  });
});
