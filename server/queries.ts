/**
 * What a person can read about a replicator. The hub's latest poll answers while the
 * replicator is reachable; otherwise the replicator is asked, so the error is first-hand.
 */
import type {
  Dsync,
  DsyncsAnswer,
  Overview,
  ReplicatorUser,
  UserSortField,
  UsersPage,
} from '@/lib/api-types';

import type { HistoryStore } from './storage/stores';
import { listUsers } from './replicator/transport';
import type { Replicator } from './replicators';
import { toApiDsync, toApiOverview, toApiUser } from './shapes';
import { pageUsers, type UsersPageQuery } from './users-page';

export async function overview(replicator: Replicator): Promise<Overview> {
  const { hub } = replicator;
  if (hub.state.connected && hub.overview !== undefined) return hub.overview;

  const counters = await replicator.client.status();
  return toApiOverview(counters, new Date());
}

export async function dsyncs(replicator: Replicator): Promise<DsyncsAnswer> {
  const { hub } = replicator;
  if (hub.state.connected && hub.dsyncs !== undefined) return hub.dsyncs;

  const slots = await replicator.client.dsyncStatus();
  return { dsyncs: slots.map(toApiDsync), at: new Date().toISOString() };
}

/**
 * One page of a mask's users, from a kept result when the same search ran recently, unless
 * `fresh` asks for the replicator's answer from now (a read already in flight is shared).
 */
export async function searchUsers(
  replicator: Replicator,
  mask: string,
  query: UsersPageQuery,
  fresh = false,
): Promise<UsersPage> {
  const kept = await replicator.keptUsers.search(mask, fresh);
  const page = pageUsers(kept.users, query, new Date());
  const unknownFields = [...replicator.client.limits.unknownUserFields];
  const users = page.users.map(toApiUser);
  return { total: page.total, users, unknownFields, at: kept.at.toISOString() };
}

export interface UserDetail {
  user: ReplicatorUser;
  /** The dsync running for this user, if any. */
  dsync: Dsync | null;
  /** Fields this replicator's transport cannot tell: null in `user` means unknown there. */
  unknownFields: UserSortField[];
  at: string;
}

/**
 * One user by exact name, or null if the replicator does not know it. The name is sent as
 * a mask, so a name containing `*` or `?` may match others: only the exact one counts.
 */
export async function findUser(replicator: Replicator, username: string) {
  const { users } = await listUsers(replicator.client, username);
  const user = users.find((candidate) => candidate.username === username);
  if (user === undefined) return null;

  const running = (await dsyncs(replicator)).dsyncs.find((d) => d.username === username);
  const detail: UserDetail = {
    user: toApiUser(user),
    dsync: running ?? null,
    unknownFields: [...replicator.client.limits.unknownUserFields],
    at: new Date().toISOString(),
  };
  return detail;
}

/** The time ranges the overview's history chart offers. */
export const HISTORY_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000,
  '7d': 7 * 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** The queue's history over a range ending now. */
export async function history(
  replicator: Replicator,
  store: HistoryStore,
  range: HistoryRange,
) {
  const until = Date.now();
  const points = await store.range(replicator.id, until - HISTORY_RANGES[range], until);
  return { range, points, at: new Date(until).toISOString() };
}
