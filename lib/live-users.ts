/**
 * Users kept current by watching their mask over socket.io. The server pushes the first
 * thousand rows by username; a page sorted and sliced differently is asked for again instead.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import type { UserDetail, UsersQuery } from './api-client';
import type { UsersPage } from './api-types';
import { useWatchedUsers } from './live';
import { queryKeys, useDsyncs } from './queries';

/** Refetches the shown page of a search whenever the server says the mask's users changed. */
export function useLiveUsersPage(replicatorId: string, query: UsersQuery | null): void {
  const queryClient = useQueryClient();

  useWatchedUsers(replicatorId, query?.mask ?? null, (event) => {
    if (query === null) return;
    const shown = queryClient.getQueryData<UsersPage>(queryKeys.usersPage(replicatorId, query));
    // The first push after watching may be what the page was read from: nothing new.
    if (shown !== undefined && Date.parse(shown.at) >= Date.parse(event.at)) return;
    const ofMask = queryKeys.usersOfMask(replicatorId, query.mask);
    void queryClient.invalidateQueries({ queryKey: ofMask });
  });
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
