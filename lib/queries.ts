/**
 * Query keys and the query hooks of the dashboard. Keys nest under the replicator, so one
 * invalidation can reach everything a replicator shows.
 */
import { useQuery } from '@tanstack/react-query';

import { api, type UsersQuery } from './api-client';
import type { ReplicatorState } from './api-types';

export const queryKeys = {
  replicator: (id: string) => ['replicator', id] as const,
  state: (id: string) => ['replicator', id, 'state'] as const,
  overview: (id: string) => ['replicator', id, 'overview'] as const,
  dsyncs: (id: string) => ['replicator', id, 'dsyncs'] as const,
  /** Every page and sort of one mask's search. */
  usersOfMask: (id: string, mask: string) => ['replicator', id, 'users', mask] as const,
  usersPage: (id: string, query: UsersQuery) =>
    ['replicator', id, 'users', query.mask, query] as const,
  user: (id: string, username: string) => ['replicator', id, 'user', username] as const,
};

/** Whether the dashboard can reach the replicator; the live feed keeps it current. */
export function useReplicatorState(id: string) {
  return useQuery({
    queryKey: queryKeys.state(id),
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

export function useUsersPage(id: string, query: UsersQuery | null) {
  return useQuery({
    queryKey: query === null ? ['replicator', id, 'users', null] : queryKeys.usersPage(id, query),
    queryFn: () => api.users(id, query as UsersQuery),
    enabled: query !== null,
    // Keep the rows while another page or sort of the same mask loads: no jumping table.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[3] === query?.mask ? previous : undefined,
  });
}

export function useUser(id: string, username: string) {
  return useQuery({
    queryKey: queryKeys.user(id, username),
    queryFn: () => api.user(id, username),
  });
}
