/**
 * Sorting and paging of a user search. The replicator answers in its hash order; people want
 * a stable order, so every sort falls back to the username.
 */
import type { UserSortField } from '@/lib/api-types';

import type { UserStatus } from './replicator/answers';

export interface UsersPageQuery {
  offset: number;
  limit: number;
  sort: UserSortField;
  order: 'asc' | 'desc';
}

const PRIORITY_RANK = { none: 0, low: 1, high: 2, sync: 3 } as const;

type SortKey = (user: UserStatus) => number | string;

const SORT_KEYS: Record<UserSortField, SortKey> = {
  username: (u) => u.username,
  priority: (u) => PRIORITY_RANK[u.priority],
  lastFastSync: (u) => u.lastFastSync,
  lastFullSync: (u) => u.lastFullSync,
  lastSuccessfulSync: (u) => u.lastSuccessfulSync,
  failed: (u) => (u.failed ? 1 : 0),
  nextSyncSeconds: (u) => u.nextSyncSeconds ?? -1,
};

/** One page of users in the asked order; `total` counts all of them. */
export function pageUsers(
  users: readonly UserStatus[],
  query: UsersPageQuery,
): { total: number; users: UserStatus[] } {
  const sorted = [...users].sort(comparator(query.sort, query.order));
  const page = sorted.slice(query.offset, query.offset + query.limit);
  return { total: users.length, users: page };
}

function comparator(field: UserSortField, order: 'asc' | 'desc') {
  const key = SORT_KEYS[field];
  const sign = order === 'asc' ? 1 : -1;

  return (a: UserStatus, b: UserStatus): number => {
    const byField = compare(key(a), key(b));
    return byField !== 0 ? sign * byField : compare(a.username, b.username);
  };
}

function compare(a: number | string, b: number | string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
