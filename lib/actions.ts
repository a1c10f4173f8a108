/**
 * The state-changing calls as mutations. After each one, settled or not (an unknown outcome
 * may still have changed the queue), the replicator's user lists are asked for again.
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api } from './api-client';
import type { RequestPriority } from './api-types';

export interface ReplicateRequest {
  mask: string;
  priority: RequestPriority;
  full: boolean;
}

export function useReplicate(replicatorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ReplicateRequest) => api.replicate(replicatorId, request),
    onSettled: () => refreshUsers(queryClient, replicatorId),
  });
}

export function useAddUsers(replicatorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mask: string) => api.add(replicatorId, mask),
    onSettled: () => refreshUsers(queryClient, replicatorId),
  });
}

export function useRemoveUser(replicatorId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (username: string) => api.remove(replicatorId, username),
    onSettled: () => refreshUsers(queryClient, replicatorId),
  });
}

function refreshUsers(queryClient: QueryClient, replicatorId: string): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: ({ queryKey }) =>
      queryKey[0] === 'replicator' &&
      queryKey[1] === replicatorId &&
      (queryKey[2] === 'users' || queryKey[2] === 'user'),
  });
}
