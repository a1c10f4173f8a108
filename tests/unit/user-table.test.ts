import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { USER_SORT_FIELDS, type Priority } from '@/lib/api-types';
import type { UserStatus } from '@/server/replicator/answers';
import { UserTable, type UserFilter } from '@/server/live/user-table';

const NOW = 1_800_000_000;
const RANK: Record<Priority, number> = { none: 0, low: 1, high: 2, sync: 3 };

/** Few letters, so that names tie often; multi-byte ones order by their UTF-8 bytes. */
const letter = fc.constantFrom('a', 'b', 'B', '\u0001', 'é', 'ü', '€', '😀');

const user: fc.Arbitrary<UserStatus> = fc.record({
  username: fc.string({ unit: letter, maxLength: 4 }),
  priority: fc.constantFrom<Priority>('none', 'low', 'high', 'sync'),
  lastFastSync: fc.constantFrom(0, NOW - 10, NOW - 5000),
  lastFullSync: fc.constantFrom(0, NOW - 100),
  failed: fc.boolean(),
  lastSuccessfulSync: fc.constantFrom(0, NOW - 10, NOW - 5000),
  nextSyncSeconds: fc.constantFrom(null, 0, 30),
});

const filter: fc.Arbitrary<UserFilter> = fc.record(
  {
    failed: fc.boolean(),
    priority: fc.constantFrom<Priority>('none', 'low', 'high', 'sync'),
    staleSeconds: fc.constantFrom(60, 3600),
  },
  { requiredKeys: [] },
);

function tableOf(users: UserStatus[]): UserTable {
  const table = new UserTable();
  users.forEach((u) => table.add(u));
  return table;
}

/** The obvious, slow answer the table must agree with. */
function naive(users: UserStatus[], sort: string, order: string, f: UserFilter): UserStatus[] {
  const key = (u: UserStatus): number | string => {
    if (sort === 'username') return u.username;
    if (sort === 'priority') return RANK[u.priority];
    if (sort === 'failed') return u.failed ? 1 : 0;
    if (sort === 'nextSyncSeconds') return u.nextSyncSeconds ?? -1;
    return u[sort as 'lastFastSync'];
  };
  const cmp = (a: number | string, b: number | string) => {
    if (typeof a === 'string' && typeof b === 'string') {
      return Buffer.compare(Buffer.from(a), Buffer.from(b));
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const sorted = users
    .map((u, i) => ({ u, i }))
    .sort((a, b) => cmp(key(a.u), key(b.u)) || cmp(a.u.username, b.u.username) || a.i - b.i)
    .map(({ u }) => u);
  if (order === 'desc') sorted.reverse();
  return sorted.filter(
    (u) =>
      (f.failed === undefined || u.failed === f.failed) &&
      (f.priority === undefined || u.priority === f.priority) &&
      (f.staleSeconds === undefined || u.lastSuccessfulSync < NOW - f.staleSeconds),
  );
}

describe('UserTable', () => {
  it('sorts and filters as the obvious implementation does', () => {
    fc.assert(
      fc.property(
        fc.array(user, { maxLength: 60, size: 'max' }),
        fc.constantFrom(...USER_SORT_FIELDS),
        fc.constantFrom('asc' as const, 'desc' as const),
        filter,
        (users, sort, order, f) => {
          const table = tableOf(users);

          const rows = table.view({ sort, order, filter: f }, NOW);

          const got = Array.from(rows, (row) => table.row(row));
          const want = naive(users, sort, order, f);
          expect(got.map((u) => [u.username, u[sortKey(sort)]])).toEqual(
            want.map((u) => [u.username, u[sortKey(sort)]]),
          );
        },
      ),
    );
  });

  it('gives back every field of a row as it was added', () => {
    fc.assert(
      fc.property(fc.array(user, { minLength: 1, maxLength: 3000 }), (users) => {
        const table = tableOf(users);

        expect(table.length).toBe(users.length);
        expect(table.row(users.length - 1)).toEqual(users.at(-1));
      }),
      { numRuns: 20 },
    );
  });

  it('counts never-synced users as stale', () => {
    const table = tableOf([
      { username: 'new', priority: 'none', lastFastSync: 0, lastFullSync: 0, failed: false,
        lastSuccessfulSync: 0, nextSyncSeconds: null },
    ]);

    const rows = table.view({ sort: 'username', order: 'asc', filter: { staleSeconds: 1 } }, NOW);

    expect(rows.length).toBe(1);
  });
  it('answers any page as the full order does, before and after the order is built', () => {
    fc.assert(
      fc.property(
        fc.array(user, { maxLength: 200, size: 'max' }),
        fc.constantFrom(...USER_SORT_FIELDS),
        fc.constantFrom('asc' as const, 'desc' as const),
        filter,
        fc.nat({ max: 220 }),
        fc.integer({ min: 1, max: 30 }),
        (users, sort, order, f, offset, limit) => {
          const table = tableOf(users);
          const want = naive(users, sort, order, f).slice(offset, offset + limit);
          const shown = (rows: Uint32Array) => Array.from(rows, (row) => table.row(row));

          const selected = table.page({ sort, order, filter: f }, offset, limit, NOW);
          table.view({ sort, order, filter: f }, NOW);
          const built = table.page({ sort, order, filter: f }, offset, limit, NOW);
          const derived = tableOf(users);
          derived.view({ sort: 'username', order: 'asc', filter: {} }, NOW);
          const fromNames = derived.page({ sort, order, filter: f }, offset, limit, NOW);

          expect(shown(selected.rows)).toEqual(want);
          expect(shown(built.rows)).toEqual(want);
          expect(Array.from(fromNames.rows, (row) => derived.row(row))).toEqual(want);
          expect(selected.total).toBe(naive(users, sort, order, f).length);
          expect(built.total).toBe(selected.total);
          expect(fromNames.total).toBe(selected.total);
          table.retire();
          derived.retire();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers from the orders it built in the background', async () => {
    const users = manyUsers(4000);
    const table = tableOf(users);
    const view = { sort: 'lastFullSync' as const, order: 'desc' as const, filter: {} };

    table.page(view, 0, 10, NOW);
    await table.settled();

    expect(table.has(JSON.stringify(['lastFullSync', {}]))).toBe(true);
    const names = Array.from(table.page(view, 100, 50, NOW).rows, (row) => table.username(row));
    expect(names).toEqual(naive(users, 'lastFullSync', 'desc', {}).slice(100, 150)
      .map((u) => u.username));
  });

  it('counts what a filter lets through', () => {
    fc.assert(
      fc.property(fc.array(user, { maxLength: 100, size: 'max' }), filter, (users, f) => {
        const table = tableOf(users);

        expect(table.count(f, NOW)).toBe(naive(users, 'username', 'asc', f).length);
      }),
    );
  });

  it('builds the username order in the background once prepared', async () => {
    const table = tableOf(manyUsers(5000));

    table.prepare();
    await table.settled();

    expect(table.has(JSON.stringify(['username', {}]))).toBe(true);
  });

  it('takes over the username order of a table with the very same names only', async () => {
    const users = manyUsers(3000);
    const first = tableOf(users);
    first.prepare();
    await first.settled();
    const renamed = users.map((u, i) => (i === 1234 ? { ...u, username: 'x' } : u));

    const same = tableOf(users);
    const other = tableOf(renamed);

    expect(same.adoptNameOrder(first)).toBe(true);
    expect(other.adoptNameOrder(first)).toBe(false);
    const view = { sort: 'username' as const, order: 'asc' as const, filter: {} };
    const names = (t: UserTable) => Array.from(t.page(view, 0, 3000, NOW).rows, (r) =>
      t.username(r));
    expect(names(same)).toEqual(naive(users, 'username', 'asc', {}).map((u) => u.username));
    expect(names(other)).toEqual(naive(renamed, 'username', 'asc', {}).map((u) => u.username));
  });

  it('stops building once retired', async () => {
    const table = tableOf(manyUsers(5000));

    table.prepare();
    table.retire();
    await table.settled();

    expect(table.has(JSON.stringify(['username', {}]))).toBe(false);
  });
});

function sortKey(sort: string): keyof UserStatus {
  return sort as keyof UserStatus;
}

/** Users with shuffled names, so that the username order takes some work. */
function manyUsers(count: number): UserStatus[] {
  return Array.from({ length: count }, (_, i) => ({
    username: `u${(i * 7919) % count}@example.com`, priority: 'none', lastFastSync: NOW,
    lastFullSync: NOW - (i % 7), failed: i % 10 === 3, lastSuccessfulSync: NOW,
    nextSyncSeconds: null,
  }));
}
