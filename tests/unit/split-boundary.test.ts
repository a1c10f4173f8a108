/**
 * The codec fed a realistic answer stream cut at every possible place: whatever the socket's
 * chunking, the parse must equal the parse of the stream in one piece.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  DsyncReader,
  OverviewReader,
  SimpleReplyReader,
  UserStatusReader,
  checkHandshake,
  type AnswerReader,
  type UserStatus,
} from '@/server/replicator/answers';
import { LineSplitter } from '@/server/replicator/lines';

/** What a client would see on one connection, in the order it asks. */
const STREAM = Buffer.from(
  [
    'VERSION\treplicator-doveadm-server\t1\t0',
    // STATUS
    "Queued 'sync' requests\t0",
    "Queued 'high' requests\t2",
    "Queued 'low' requests\t17",
    "Queued 'failed' requests\t1",
    "Queued 'full resync' requests\t3",
    "Waiting 'failed' requests\t4",
    'Total number of known users\t5',
    '',
    // STATUS *
    'bob@example.com\thigh\t1700000100\t1700000000\t0\t1700000100',
    'jürgen@example.net\tnone\t1700000200\t1700000000\t1\t1700000000',
    'we\x01tird\x01nna\x011me\tlow\t0\t0\t0\t0',
    'ann@example.com\tsync\t1700000300\t1700000300\t0\t1700000300\t0',
    'broken\turgent\t0\t0\t0\t0',
    '\tnone\t0\t0\t0\t0',
    '',
    // STATUS-DSYNC
    'bob@example.com\tfull\tWaiting for dsync to finish',
    "\t-\tFailed to connect to '/run/dovecot/doveadm-server' - last attempt 3 secs ago",
    '\t-\tNot connected',
    '\t-\tNot connected',
    '',
    // REPLICATE
    '+3',
    '',
  ].join('\n'),
);

/** Parses the stream, cut into the given chunks, as the client's readers would. */
function parseStream(chunks: Buffer[]) {
  const users: UserStatus[] = [];
  const handshake = {
    take: (bytes: Buffer, start = 0, end = bytes.length) =>
      checkHandshake(bytes.subarray(start, end)).ok,
    result: () => true,
  };
  const readers: AnswerReader<unknown>[] = [
    handshake,
    new OverviewReader(),
    new UserStatusReader((line) => users.push(line.toUserStatus())),
    new DsyncReader(),
    new SimpleReplyReader(),
  ];
  const splitter = new LineSplitter();
  let current = 0;
  for (const chunk of chunks) {
    splitter.push(chunk, (bytes, start, end) => {
      if (readers[current]!.take(bytes, start, end)) current++;
      return true;
    });
  }
  return { complete: current, results: readers.map((reader) => reader.result()), users };
}

/** Cuts the stream at each of the offsets. */
function cut(offsets: number[]): Buffer[] {
  const sorted = [0, ...[...offsets].sort((a, b) => a - b), STREAM.length];
  return sorted.slice(1).map((end, i) => STREAM.subarray(sorted[i], end));
}

describe('a full answer stream', () => {
  const whole = parseStream([STREAM]);

  it('parses in one chunk', () => {
    expect(whole.complete).toBe(5);
    expect(whole.results[1]).toMatchObject({ queuedLow: 17, totalUsers: 5 });
    expect(whole.users.map((user) => user.username)).toEqual([
      'bob@example.com',
      'jürgen@example.net',
      'we\tird\nna\x01me',
      'ann@example.com',
      '',
    ]);
    expect(whole.results[2]).toEqual({ count: 1, samples: ['broken\turgent\t0\t0\t0\t0'] });
    expect(whole.results[3]).toHaveLength(4);
    expect(whole.results[4]).toEqual({ ok: true, text: '3' });
  });

  it('parses the same when cut in two at every byte', () => {
    for (let offset = 0; offset <= STREAM.length; offset++) {
      expect(parseStream(cut([offset])), `cut at ${offset}`).toEqual(whole);
    }
  });

  it('parses the same when fed byte by byte', () => {
    const offsets = Array.from({ length: STREAM.length }, (_, i) => i);

    expect(parseStream(cut(offsets))).toEqual(whole);
  });

  it('parses the same when cut anywhere', () => {
    const offsets = fc.array(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 40 });

    fc.assert(
      fc.property(offsets, (cuts) => {
        expect(parseStream(cut(cuts))).toEqual(whole);
      }),
    );
  });
});
