/**
 * One page of a user search, in the order and with the filter asked for. The replicator
 * answers in its hash order; people want a stable order, so every sort falls back to the
 * username.
 */
import type { UserStatus } from './replicator/answers';
import type { UserTable, UserView } from './live/user-table';

export interface UsersPageQuery extends UserView {
  offset: number;
  limit: number;
}

/** One page of users; `total` counts all that pass the filter. */
export function pageUsers(
  table: UserTable,
  query: UsersPageQuery,
  now: Date,
): { total: number; users: UserStatus[] } {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const { total, rows } = table.page(query, query.offset, query.limit, nowSeconds);
  return { total, users: Array.from(rows, (row) => table.row(row)) };
}
