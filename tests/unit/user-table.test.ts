import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { USER_SORT_FIELDS, type Priority } from '@/lib/api-types';
import type { UserStatus } from '@/server/replicator/answers';
import { UserTable, type UserFilter } from '@/server/live/user-table';

const NOW = 1_800_000_000;
const RANK: Record<Priority, number> = { none: 0, low: 1, high: 2, sync: 3 };

const user: fc.Arbitrary<UserStatus> = fc.record({
  username: fc.string({ maxLength: 6 }),
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
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
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
        fc.array(user, { maxLength: 60 }),
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
});

function sortKey(sort: string): keyof UserStatus {
  return sort as keyof UserStatus;
}
