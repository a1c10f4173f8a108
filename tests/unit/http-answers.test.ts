import { describe, expect, it } from 'vitest';

import { AnswerFormatError, type UserStatus } from '@/server/replicator/answers';
import {
  absoluteTime,
  commandResult,
  dsyncsFromRows,
  overviewFromRows,
  updatedFromRows,
  usersFromRows,
} from '@/server/replicator/http-answers';

// Answers below are copied from a doveadm 2.3.19.1 HTTP API (scripts/dovecot-pair.sh with
// DOVECOT_PAIR_HTTP_PORT), so the parser is checked against what Dovecot really prints.
const AT = 1_764_770_000;

describe('absoluteTime: doveadm "how long ago" back to Unix seconds', () => {
  it('counts back from the moment of the answer', () => {
    expect(absoluteTime('00:00:06', AT)).toBe(AT - 6);
    expect(absoluteTime('01:02:03', AT)).toBe(AT - 3723);
  });

  it('reads hours past 99 (days-old syncs print as 123:04:05)', () => {
    expect(absoluteTime('123:04:05', AT)).toBe(AT - (123 * 3600 + 4 * 60 + 5));
  });

  it('reads "-" as never (0), like the socket answer', () => {
    expect(absoluteTime('-', AT)).toBe(0);
  });

  it('keeps a time ahead of doveadm\'s clock (C prints -61 s as 00:-1:-1)', () => {
    expect(absoluteTime('00:00:-1', AT)).toBe(AT + 1);
    expect(absoluteTime('00:-1:-1', AT)).toBe(AT + 61);
  });

  it.each(['', '6', '00:06', '1 day', '00:00:06 ', 'aa:bb:cc'])('refuses %j', (text) => {
    expect(() => absoluteTime(text, AT)).toThrow(AnswerFormatError);
  });
});

describe('commandResult', () => {
  it('finds the rows of the command by its tag', () => {
    const body = [['doveadmResponse', [{ result: '1 users updated' }], 't4']];
    expect(commandResult(body, 't4')).toEqual({ ok: true, rows: [{ result: '1 users updated' }] });
  });

  it('gives doveadm\'s error type and exit code', () => {
    const body = [['error', { type: 'exitCode', exitCode: 64 }, 't6']];
    expect(commandResult(body, 't6')).toEqual({ ok: false, type: 'exitCode', exitCode: 64 });
  });

  it('refuses an answer without the tag or that is no array of rows', () => {
    expect(() => commandResult([['doveadmResponse', [], 'x']], 'y')).toThrow(/lacks command y/);
    expect(() => commandResult({ error: 1 }, 'y')).toThrow(AnswerFormatError);
    expect(() => commandResult([['doveadmResponse', ['a'], 'y']], 'y')).toThrow(/objects/);
  });
});

describe('overviewFromRows', () => {
  const rows = [
    ["Queued 'sync' requests", '0'], ["Queued 'high' requests", '2'],
    ["Queued 'low' requests", '3'], ["Queued 'failed' requests", '4'],
    ["Queued 'full resync' requests", '169'], ["Waiting 'failed' requests", '1'],
    ['Total number of known users', '200'],
  ].map(([field, value]) => ({ field, value }));

  it('reads the seven counters from their strings', () => {
    expect(overviewFromRows(rows)).toEqual({
      queuedSync: 0, queuedHigh: 2, queuedLow: 3, queuedFailed: 4, queuedFullResync: 169,
      waitingFailed: 1, totalUsers: 200,
    });
  });

  it('ignores a field a later Dovecot adds, fails on a missing or bad one', () => {
    expect(overviewFromRows([...rows, { field: 'New', value: 'x' }]).totalUsers).toBe(200);
    expect(() => overviewFromRows(rows.slice(1))).toThrow(/Queued 'sync' requests/);
    const bad = rows.map((r) => (r.value === '200' ? { ...r, value: '2e2' } : r));
    expect(() => overviewFromRows(bad)).toThrow(/not a number/);
  });
});

describe('usersFromRows', () => {
  const row = {
    username: 'alice@example.com', priority: 'none', 'fast sync': '00:00:06',
    'full sync': '26:00:00', 'success sync': '-', failed: 'y',
  };

  it('makes absolute times, a boolean failed and no next-sync time (doveadm omits it)', () => {
    const users: UserStatus[] = [];
    const unparsed = usersFromRows([row], AT, (u) => users.push(u));

    expect(unparsed.count).toBe(0);
    expect(users).toEqual([{
      username: 'alice@example.com', priority: 'none', lastFastSync: AT - 6,
      lastFullSync: AT - 26 * 3600, failed: true, lastSuccessfulSync: 0, nextSyncSeconds: null,
    }]);
  });

  it('counts rows it cannot read, with samples, and keeps the others', () => {
    const users: UserStatus[] = [];
    const bad = [
      { ...row, priority: 'urgent' }, { ...row, failed: '1' }, { ...row, 'fast sync': 'x' },
    ];
    const unparsed = usersFromRows([...bad, row], AT, (u) => users.push(u));

    expect(users).toHaveLength(1);
    expect(unparsed.count).toBe(3);
    expect(unparsed.samples[0]).toMatch(/unknown priority: urgent/);
  });
});

describe('dsyncsFromRows and updatedFromRows', () => {
  it('reads an idle slot and a running one like the socket answer', () => {
    const rows = [
      { username: '', type: '-', status: 'Not connected' },
      { username: 'big1@example.com', type: 'incremental', status: 'Waiting for dsync to finish' },
    ];
    expect(dsyncsFromRows(rows)).toEqual([
      { username: null, type: null, state: 'Not connected' },
      { username: 'big1@example.com', type: 'incremental', state: 'Waiting for dsync to finish' },
    ]);
  });

  it('reads the count of "N users updated" and nothing else', () => {
    expect(updatedFromRows([{ result: '12 users updated' }])).toBe(12);
    expect(() => updatedFromRows([])).toThrow(AnswerFormatError);
    expect(() => updatedFromRows([{ result: 'Replicator failed' }])).toThrow(AnswerFormatError);
  });
});
