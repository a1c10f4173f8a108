/**
 * Query keys and the query hooks of the dashboard. Keys nest under the replicator, so one
 * invalidation can reach everything a replicator shows.
 */
import { useQuery } from '@tanstack/react-query';

import { api, type UsersFilter, type UsersQuery } from './api-client';
import type { HistoryRange, ReplicatorState } from './api-types';

/** Every filter, sort and block of one mask's search. */
const usersOfMask = (id: string, mask: string) => ['replicator', id, 'users', mask] as const;

export const queryKeys = {
  replicator: (id: string) => ['replicator', id] as const,
  state: (id: string) => ['replicator', id, 'state'] as const,
  overview: (id: string) => ['replicator', id, 'overview'] as const,
  dsyncs: (id: string) => ['replicator', id, 'dsyncs'] as const,
  history: (id: string, range: HistoryRange) => ['replicator', id, 'history', range] as const,
  usersOfMask,
  /** How many users one filtered list holds; the same for every sort of it. */
  usersTotal: (id: string, list: UsersList) =>
    [...usersOfMask(id, list.mask), filterOf(list), 'total'] as const,
  /** One block of rows of a filtered, sorted list. */
  usersBlock: (id: string, list: UsersList, block: number) =>
    [...usersOfMask(id, list.mask), filterOf(list), list.sort, list.order, block] as const,
  user: (id: string, username: string) => ['replicator', id, 'user', username] as const,
};

/** Whether the dashboard can reach the replicator; the live feed keeps it current. */
/** A replicator's state; the live feed keeps it current where a page subscribes. */
export function useReplicatorState(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.state(id),
    enabled,
    queryFn: async (): Promise<ReplicatorState> => {
      const { replicators } = await api.replicators();
      const found = replicators.find((r) => r.id === id);
      return found ?? unknownReplicator(id);
    },
  });
}

function unknownReplicator(id: string): ReplicatorState {
  const error = { code: 'unknown_replicator', message: `no replicator called ${id}`, hint: null };
  return { id, connected: false, error };
}

export function useOverview(id: string) {
  return useQuery({ queryKey: queryKeys.overview(id), queryFn: () => api.overview(id) });
}

export function useDsyncs(id: string) {
  return useQuery({ queryKey: queryKeys.dsyncs(id), queryFn: () => api.dsyncs(id) });
}

export function useUser(id: string, username: string) {
  return useQuery({
    queryKey: queryKeys.user(id, username),
    queryFn: () => api.user(id, username),
  });
}

/** Refresh the short ranges often; a week's chart moves a point a minute at most. */
const HISTORY_REFRESH_MS: Record<HistoryRange, number> = {
  '15m': 5_000, '1h': 10_000, '24h': 60_000, '7d': 60_000,
};

export function useHistory(id: string, range: HistoryRange) {
  return useQuery({
    queryKey: queryKeys.history(id, range),
    queryFn: () => api.history(id, range),
    refetchInterval: HISTORY_REFRESH_MS[range],
    placeholderData: (previous) => previous,
  });
}

/** One list of a mask's users: its filters and its server-side sort; rows come in blocks. */
export type UsersList = Omit<UsersQuery, 'offset' | 'limit'>;

/** The filter part of a list's key, so that every sort of a list shares its count. */
function filterOf({ failed, priority, staleSeconds }: UsersFilter): UsersFilter {
  return { failed, priority, staleSeconds };
}
