/**
 * Reading a user search into a table: the unparsed lines the client hands out, and the
 * worker thread that parses them, checked against the table filled in the event loop.
 * The answers are made up and handed to the reader directly: no socket is involved.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { UserLinesReader, UserStatusReader } from '@/server/replicator/answers';
import { LineSplitter } from '@/server/replicator/lines';
import type { ReplicatorTransport } from '@/server/replicator/transport';
import { WorkerUserReader, readInThread } from '@/server/live/user-reading';
import type { UserTable } from '@/server/live/user-table';

const NOW = 1_800_000_000;

/** A STATUS answer of `count` users (both line forms, an escaped name, one bad line). */
function madeUpAnswer(count: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = i === 3 ? 'tab\x01tname@example.com' : `u${(i * 7919) % count}@example.com`;
    const next = i % 2 === 0 ? '' : `\t${i % 300}`;
    lines.push(`${name}\t${i % 5 === 0 ? 'high' : 'none'}\t${NOW - i}\t${NOW - 2 * i}\t` +
      `${i % 7 === 0 ? 1 : 0}\t${NOW - i}${next}\n`);
  }
  lines.splice(10, 0, 'not a user line\n');
  return Buffer.from(`${lines.join('')}\n`);
}

/** Cuts an answer into chunks of `size` bytes, so lines are split across them. */
function chunks(answer: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let at = 0; at < answer.length; at += size) parts.push(answer.subarray(at, at + size));
  return parts;
}

/** Feeds chunks through a splitter to a reader, as the client does; true once complete. */
function feed(parts: Buffer[], reader: { take(b: Buffer, s: number, e: number): boolean }) {
  const splitter = new LineSplitter();
  let complete = false;
  for (const part of parts) {
    splitter.push(part, (bytes, start, end) => !(complete = reader.take(bytes, start, end)));
  }
  return complete;
}

/** A transport that answers STATUS from a made-up answer, in both ways a transport can. */
function answering(answer: Buffer, chunkSize: number): ReplicatorTransport {
  return {
    statusUsers: (_mask, sink) => {
      const reader = new UserStatusReader((line) => sink.addLine(line));
      feed(chunks(answer, chunkSize), reader);
      return Promise.resolve(reader.result());
    },
    statusUserLines: (_mask, sink) => {
      feed(chunks(answer, chunkSize), new UserLinesReader(sink));
      return Promise.resolve();
    },
  } as Partial<ReplicatorTransport> as ReplicatorTransport;
}

function rowsOf(table: UserTable) {
  const view = { sort: 'username' as const, order: 'asc' as const, filter: {} };
  return Array.from(table.page(view, 0, table.length, NOW).rows, (row) => table.row(row));
}

describe('UserLinesReader', () => {
  it('hands on every line once, in order, in a few ranges, and stops at the empty line', () => {
    const answer = madeUpAnswer(2000);
    const received: string[] = [];
    let calls = 0;
    const reader = new UserLinesReader({
      lines: (bytes, start, end) => {
        calls++;
        received.push(bytes.toString('utf8', start, end));
      },
    });

    expect(feed(chunks(answer, 4096), reader)).toBe(true);
    expect(`${received.join('\n')}\n\n`).toBe(answer.toString('utf8'));
    expect(calls).toBeLessThan(answer.length / 4096 * 3);
  });

  it('passes nothing on for an empty answer', () => {
    const seen: string[] = [];
    const reader = new UserLinesReader({
      lines: (b, s, e) => seen.push(b.toString('utf8', s, e)),
    });

    expect(feed([Buffer.from('\n')], reader)).toBe(true);
    expect(seen).toEqual([]);
  });
});

describe('WorkerUserReader', () => {
  const reader = new WorkerUserReader();
  afterAll(() => reader.close());

  it('parses in its thread the table and unparsed lines the event loop does', async () => {
    await reader.prepare();
    const answer = madeUpAnswer(30_000);

    const inWorker = await reader.read(answering(answer, 65_536), '*');
    const inLoop = await readInThread()(answering(answer, 65_536), '*');

    expect(inWorker.users.length).toBe(30_000);
    expect(rowsOf(inWorker.users)).toEqual(rowsOf(inLoop.users));
    expect(inWorker.unparsed).toEqual({ count: 1, samples: ['not a user line'] });
    expect(inLoop.unparsed).toEqual(inWorker.unparsed);
    expect(rowsOf(inWorker.users).some((u) => u.username === 'tab\tname@example.com')).toBe(true);
    expect(reader.working).toBe(true);
  });

  it('keeps several reads apart, lines cut across small chunks', async () => {
    const small = madeUpAnswer(500);
    const large = madeUpAnswer(5000);

    const [a, b] = await Promise.all([
      reader.read(answering(small, 100), 'a*'),
      reader.read(answering(large, 333), 'b*'),
    ]);

    expect([a.users.length, b.users.length]).toEqual([500, 5000]);
    expect(reader.working).toBe(true);
  });

  it('reads in the event loop where the transport hands out no unparsed lines', async () => {
    const transport = answering(madeUpAnswer(100), 1000);
    delete (transport as { statusUserLines?: unknown }).statusUserLines;

    const { users } = await reader.read(transport, '*');

    expect(users.length).toBe(100);
  });

  it('lets a failed read fail, and the next one still work', async () => {
    const failing = answering(madeUpAnswer(100), 1000);
    failing.statusUserLines = async (_mask, sink) => {
      sink.lines(Buffer.from('half@example.com\tnone\t1\t1\t0\t1'), 0, 30);
      throw new Error('connection lost');
    };

    await expect(reader.read(failing, '*')).rejects.toThrow('connection lost');
    const { users } = await reader.read(answering(madeUpAnswer(100), 1000), '*');
    expect(users.length).toBe(100);
  });
});
