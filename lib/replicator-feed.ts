/**
 * Keeps a replicator's cached overview, dsyncs and state current from socket.io pushes.
 * Mounted once per replicator (by its layout), so every page below reads live data through
 * ordinary queries: the HTTP answer first, then each pushed change.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import type { ApiErrorBody, ReplicatorState } from './api-types';
import { useLiveClient, useLiveEvent } from './live';
import { queryKeys } from './queries';

export function useReplicatorFeed(id: string): void {
  const live = useLiveClient();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (live === null) return;
    const stopReconnect = live.onReconnect(() => {
      // Pushes missed while the dashboard was away cannot be replayed; ask again.
      void queryClient.invalidateQueries({ queryKey: queryKeys.replicator(id) });
    });
    const unsubscribe = live.subscribe(id, (answer) => {
      if ('error' in answer) queryClient.setQueryData(queryKeys.state(id), refused(id, answer));
    });
    return () => {
      stopReconnect();
      unsubscribe();
    };
  }, [live, id, queryClient]);

  useLiveEvent('replicator:state', ({ replicator, connected, error }) => {
    if (replicator !== id) return;
    const before = queryClient.getQueryData<ReplicatorState>(queryKeys.state(id));
    queryClient.setQueryData<ReplicatorState>(queryKeys.state(id), { id, connected, error });
    if (connected && before?.connected === false) refetchAfterOutage(queryClient, id);
  });
  useLiveEvent('overview', ({ replicator, overview }) => {
    if (replicator === id) queryClient.setQueryData(queryKeys.overview(id), overview);
  });
  useLiveEvent('dsyncs', ({ replicator, dsyncs, at }) => {
    if (replicator === id) queryClient.setQueryData(queryKeys.dsyncs(id), { dsyncs, at });
  });
}

/**
 * The replicator is back: whatever failed while it was away, or changed meanwhile without
 * a push (the server pushes changes only), is asked for again.
 */
function refetchAfterOutage(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({
    queryKey: queryKeys.replicator(id),
    predicate: ({ queryKey }) => queryKey[2] !== 'state',
  });
}

/** A refused subscription (e.g. an unknown replicator) reads like an unreachable one. */
function refused(id: string, { error }: ApiErrorBody): ReplicatorState {
  return { id, connected: false, error: { ...error, hint: error.hint ?? null } };
}
