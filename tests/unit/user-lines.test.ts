/**
 * The WebAssembly user-line parser against the JavaScript one (UserStatusReader), which
 * stays the reference: the same users, in the same order, and the same lines refused.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { UserStatusReader, type UserStatus } from '@/server/replicator/answers';
import { UserLineParser } from '@/server/replicator/user-lines';
import type { ParsedUserRows } from '@/server/replicator/user-rows';
import { UserTable } from '@/server/live/user-table';

import { userLineText } from './support/user-lines';

const PRIORITIES = ['none', 'low', 'high', 'sync'] as const;
let parser: UserLineParser;

beforeAll(async () => {
  parser = await UserLineParser.load();
});

/** What the JavaScript reader makes of a batch. */
function byJavaScript(batch: Buffer) {
  const users: UserStatus[] = [];
  const reader = new UserStatusReader((line) => users.push(line.toUserStatus()));
  reader.takeLines(batch, 0, batch.length);
  return { users, unparsed: reader.result() };
}

/** What the WebAssembly reader makes of a batch, its rows turned into users one by one. */
function byWebAssembly(batch: Buffer) {
  const users: UserStatus[] = [];
  const reader = parser.reader({
    addRows: (rows, from, to) => {
      for (let row = from; row < to; row++) users.push(userOf(rows, row));
    },
    addLine: (line) => users.push(line.toUserStatus()),
  });
  reader.takeLines(batch, 0, batch.length);
  return { users, unparsed: reader.result() };
}

function userOf(rows: ParsedUserRows, row: number): UserStatus {
  const start = row === 0 ? 0 : rows.nameEnds[row - 1]!;
  const next = rows.next[row]!;
  return {
    username: Buffer.from(rows.names.subarray(start, rows.nameEnds[row])).toString('utf8'),
    priority: PRIORITIES[rows.priority[row]!]!,
    lastFastSync: rows.fast[row]!,
    lastFullSync: rows.full[row]!,
    failed: (rows.flags[row]! & 4) !== 0,
    lastSuccessfulSync: rows.success[row]!,
    nextSyncSeconds: next < 0 ? null : next,
  };
}

function batchOf(lines: string[], lastLf = true): Buffer {
  const text = lines.map((line) => `${line}\n`).join('');
  return Buffer.from(lastLf ? text : text.slice(0, -1), 'utf8');
}

describe('UserLineParser', () => {
  it('reads any batch of lines as the JavaScript reader does', () => {
    const lines = fc.array(fc.oneof({ weight: 9, arbitrary: userLineText },
      { weight: 1, arbitrary: fc.constant('') }), { maxLength: 30 });
    fc.assert(fc.property(lines, fc.boolean(), (texts, lastLf) => {
      const batch = batchOf(texts, lastLf || texts.length === 0);

      expect(byWebAssembly(batch)).toEqual(byJavaScript(batch));
    }), { numRuns: 2_000 });
  });

  it('reads the users of both Dovecot versions, escaped names and failures', () => {
    const batch = batchOf([
      'bob@example.com\thigh\t1700000100\t1700000000\t0\t1700000100',
      'we\x01tird\tsync\t0\t0\t1\t0\t42',
      'not a user line',
      'jürgen@example.net\tlow\t5\t6\t0\t7',
    ]);

    const { users, unparsed } = byWebAssembly(batch);

    expect(users.map((user) => [user.username, user.priority, user.failed,
      user.nextSyncSeconds])).toEqual([
      ['bob@example.com', 'high', false, null],
      ['we\tird', 'sync', true, 42],
      ['jürgen@example.net', 'low', false, null],
    ]);
    expect(unparsed).toEqual({ count: 1, samples: ['not a user line'] });
  });

  it('makes room for a batch larger than the last, and keeps reading after it', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => `u${i}@example.com\tnone\t${i}\t0\t0\t0`);
    const long = `${'x'.repeat(1_000_000)}\tnone\t1\t2\t0\t3`;

    const first = byWebAssembly(batchOf(many));
    const second = byWebAssembly(batchOf([long, many[7]!]));

    expect(first.users).toHaveLength(40_000);
    expect(first.users[39_999]).toMatchObject({ username: 'u39999@example.com',
      lastFastSync: 39_999 });
    expect(second.users.map((user) => user.username.length)).toEqual([1_000_000, 14]);
  });

  it('fills a table as the JavaScript reader fills one', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) =>
      `${i === 9 ? 'esc\x01t' : 'u'}${(i * 7919) % 5_000}@example.org\tlow\t${i}\t${2 * i}\t` +
      `${i % 3 === 0 ? 1 : 0}\t${3 * i}${i % 2 === 0 ? '' : `\t${i}`}`);
    const batch = batchOf(lines);
    const viaJavaScript = new UserTable();
    const viaWebAssembly = new UserTable();

    new UserStatusReader((line) => viaJavaScript.addLine(line)).takeLines(batch, 0, batch.length);
    parser.reader(viaWebAssembly).takeLines(batch, 0, batch.length);

    expect(viaWebAssembly.columns()).toEqual(viaJavaScript.columns());
  });
});
