/**
 * The one place TanStack Query clients are made, so every page shares the same policy.
 */
import { QueryClient } from '@tanstack/react-query';

import { ApiRequestError } from './api-client';

/**
 * Live data arrives over socket.io and is written into the cache, so fetched data only has
 * to stay fresh for the short while before the first push; a few seconds avoids refetching
 * on every remount.
 */
const STALE_MS = 5_000;

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: STALE_MS,
        retry: retryOnlyNetwork,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/**
 * An API error is an answer, to be shown at once (an unreachable replicator must not hide
 * behind retries); only a lost connection to the dashboard is worth a second try.
 */
function retryOnlyNetwork(failureCount: number, error: Error): boolean {
  return error instanceof ApiRequestError && error.status === 0 && failureCount < 2;
}
