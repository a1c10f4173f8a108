/**
 * Users kept current by watching their mask over socket.io. The server pushes the first
 * thousand rows by username; a list sorted, filtered or scrolled differently is asked for
 * again instead.
 */
import { useQueryClient, type Query } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import type { UserDetail } from './api-client';
import type { UsersPage } from './api-types';
import { useWatchedUsers } from './live';
import { queryKeys, useDsyncs } from './queries';

/**
 * Refetches what is shown of a mask's search (the count and the blocks of rows on screen)
 * whenever the server says the mask's users changed. The other blocks are only marked
 * stale, and read again if scrolled back to.
 */
export function useLiveUsersOfMask(replicatorId: string, mask: string): void {
  const queryClient = useQueryClient();

  useWatchedUsers(replicatorId, mask, (event) => {
    const ofMask = queryKeys.usersOfMask(replicatorId, mask);
    const shown = queryClient.getQueryCache().findAll({ queryKey: ofMask, type: 'active' });
    // The first push after watching may be what the list was read from: nothing new.
    if (shown.length > 0 && shown.every((query) => readSince(query, event.at))) return;
    // Invalidation refetches the active queries only: those on screen.
    void queryClient.invalidateQueries({ queryKey: ofMask });
  });
}

function readSince(query: Query, at: string): boolean {
  const data = query.state.data as UsersPage | undefined;
  return data !== undefined && Date.parse(data.at) >= Date.parse(at);
}

/**
 * Keeps one user's fields current: its name watched as a mask, and a refetch whenever a
 * dsync for it starts or ends (its sync times change when one ends).
 */
export function useLiveUser(replicatorId: string, username: string): void {
  const queryClient = useQueryClient();

  useWatchedUsers(replicatorId, username, (event) => {
    const key = queryKeys.user(replicatorId, username);
    // A name holding `*` or `?` matches others too: only the exact one is this user.
    const user = event.users.find((candidate) => candidate.username === username);
    if (user === undefined) return void queryClient.invalidateQueries({ queryKey: key });
    queryClient.setQueryData<UserDetail>(key, (old) => ({
      user,
      dsync: old?.dsync ?? null,
      // What the transport cannot tell does not change with a live row.
      unknownFields: old?.unknownFields,
      at: event.at,
    }));
  });

  const running = useRunningDsync(replicatorId, username);
  const runningKey = running === null ? 'none' : `${running.type}`;
  const previous = useRef(runningKey);
  useEffect(() => {
    if (previous.current === runningKey) return;
    previous.current = runningKey;
    void queryClient.invalidateQueries({ queryKey: queryKeys.user(replicatorId, username) });
  }, [runningKey, queryClient, replicatorId, username]);
}

/** The dsync running for a user right now, from the live dsync slots. */
export function useRunningDsync(replicatorId: string, username: string) {
  const { data } = useDsyncs(replicatorId);
  return data?.dsyncs.find((slot) => slot.username === username) ?? null;
}
