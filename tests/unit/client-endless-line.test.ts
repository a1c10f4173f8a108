/**
 * Regression: a peer on the socket that sends bytes without a line end made the client keep
 * them all until a timeout; the reliability run saw 2.5 GB in the 5 s of a handshake. Lines
 * are now bounded: 1 KiB for the greeting, 1 MiB for an answer line. The peer here is a FAKE
 * socket server (support/fake-socket-server.ts), not the replicator.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';

import { ReplicatorClient } from '@/server/replicator/client';
import type { ReplicatorError } from '@/server/replicator/errors';

import { FakeSocketServer } from './support/fake-socket-server';

let fake: FakeSocketServer;
let client: ReplicatorClient;

beforeEach(async () => {
  fake = await FakeSocketServer.start();
  client = new ReplicatorClient({
    id: 'fake',
    address: { kind: 'unix', path: fake.path },
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 10_000,
  });
});

afterEach(async () => {
  client.close();
  await fake.stop();
});

function failureOf(promise: Promise<unknown>): Promise<ReplicatorError> {
  return promise.then(
    (value) => Promise.reject(new Error(`expected a failure, got ${JSON.stringify(value)}`)),
    (error: unknown) => error as ReplicatorError,
  );
}

it('gives up on a greeting without a line end after 1 KiB, long before its timeout', async () => {
  const started = Date.now();
  const status = failureOf(client.status());
  const peer = await fake.nextPeer();

  peer.write('x'.repeat(4 * 1024 * 1024));

  expect(await status).toMatchObject({ code: 'not_a_replicator' });
  expect(Date.now() - started).toBeLessThan(2_000);
});

it('ends the connection at an answer line of more than 1 MiB, as a protocol error', async () => {
  const users = failureOf(client.listUsers('*'));
  const peer = await fake.nextGreetedPeer();
  expect(await peer.nextLine()).toBe('STATUS\t*');

  peer.write('a'.repeat(2 * 1024 * 1024));

  expect(await users).toMatchObject({ code: 'protocol_error', command: 'STATUS' });
  await peer.closed;
});

it('still reads an answer line cut into many chunks below the limit', async () => {
  const users = client.listUsers('*');
  const peer = await fake.nextGreetedPeer();
  await peer.nextLine();
  const name = `${'n'.repeat(200_000)}@example.com`;

  for (let at = 0; at < name.length; at += 1000) peer.write(name.slice(at, at + 1000));
  peer.write('\tnone\t0\t0\t0\t0\n\n');

  expect((await users).users.map((user) => user.username)).toEqual([name]);
});
