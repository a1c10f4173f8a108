/**
 * Any mask a person can send is one command on the wire: whatever bytes it holds, the
 * client's socket carries exactly one line for it, and that line gives the mask back.
 * The peer is a FAKE socket server (support/fake-socket-server.ts), not the replicator; it
 * sees the bytes exactly as the replicator would.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { splitFields } from '@/server/replicator/escape';
import { ReplicatorClient } from '@/server/replicator/client';

import { FakeSocketServer, type FakePeer } from './support/fake-socket-server';

let fake: FakeSocketServer;
let client: ReplicatorClient;
let peer: FakePeer;

beforeAll(async () => {
  fake = await FakeSocketServer.start();
  client = new ReplicatorClient({ id: 'fake', address: { kind: 'unix', path: fake.path } });
  const first = client.listUsers('warm-up');
  peer = await fake.nextGreetedPeer();
  await peer.nextLine();
  peer.write('\n');
  await first;
});

afterAll(async () => {
  client.close();
  await fake.stop();
});

/** Masks as the API lets them through: no NUL, anything else, control bytes favoured. */
const masks = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\x01', '\t', '\r', '\n', '\x01n', '*', '?', '\\', 'ü'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
}).filter((mask) => !mask.includes('\0') && !/\p{Cs}/u.test(mask));

it('sends any mask as one STATUS line that splits back into that mask', async () => {
  await fc.assert(
    fc.asyncProperty(masks, async (mask) => {
      const users = client.listUsers(mask);
      const line = await peer.nextLine();
      peer.write('\n');
      await users;

      expect(splitFields(Buffer.from(line, 'utf8'))).toEqual(['STATUS', mask]);
    }),
    { numRuns: 300 },
  );
  // Nothing more arrived than the lines the property took: no second command, ever.
  expect(peer.received.length).toBe(302);
});
