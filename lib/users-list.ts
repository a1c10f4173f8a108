/**
 * A mask's users as a list of any length, read in blocks: its count once, and a block of rows
 * only while it is on screen, so a million users cost the browser what two hundred do.
 */
import { useQueries, useQuery, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { api, type UsersQuery } from './api-client';
import type { ReplicatorUser, UsersPage } from './api-types';
import { queryKeys, type UsersList } from './queries';

/** Rows per request: a screenful several times over, small enough to answer at once. */
export const BLOCK_ROWS = 200;

/**
 * Blocks are asked for once they stay on screen this long: dragging the scrollbar across a
 * million rows passes thousands of blocks, and none of them is worth a request.
 */
const SETTLE_MS = 120;

/** The list's total and when it was counted; one count serves every sort of the list. */
export function useUsersTotal(id: string, list: UsersList) {
  return useQuery({
    queryKey: queryKeys.usersTotal(id, list),
    queryFn: () =>
      api.users(id, { ...list, sort: 'username', order: 'asc', offset: 0, limit: 0 }),
  });
}

/** Only the count of a mask's users, read anew by the server: a repeated search's first ask. */
export function freshCount(mask: string): UsersQuery {
  return { mask, sort: 'username', order: 'asc', offset: 0, limit: 0, fresh: true };
}

/** What a page says when searching again failed (see searchAgain). */
export const SEARCH_AGAIN_FAILED =
  'Searching again failed; the rows below are from the search before';

/**
 * A search asked for again: `readFresh` makes the server read the replicators anew (a kept
 * result may be seconds old), then the lists under `queryKey` are read from that result.
 * Resolves with the error when the fresh read failed: the lists would still be read, from
 * the last result kept, and show no error at all, so the page must say it.
 */
export async function searchAgain(
  queryClient: QueryClient,
  readFresh: () => Promise<unknown>,
  queryKey: QueryKey,
): Promise<Error | null> {
  try {
    await readFresh();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
  await queryClient.invalidateQueries({ queryKey });
  return null;
}

export interface UserRows {
  /** The row's user, or undefined while its block loads. */
  userAt: (index: number) => { user: ReplicatorUser; at: string } | undefined;
  /** Whether any row read so far has a next sync time (Dovecot 2.3.20 and later). */
  anyNextSync: boolean;
  error: Error | null;
}

/** The rows from `first` to `last` (from 0) of a list, read through the block queries. */
export function useUserRows(id: string, list: UsersList, first: number, last: number): UserRows {
  const blocks = blockRange(first, last);
  const settled = useSettled(`${blocks[0]}:${blocks.at(-1)}`, SETTLE_MS);

  const pages = useQueries({
    queries: blocks.map((block) => ({
      queryKey: queryKeys.usersBlock(id, list, block),
      queryFn: () => api.users(id, { ...list, offset: block * BLOCK_ROWS, limit: BLOCK_ROWS }),
      // A block left unasked still shows what the cache holds of it.
      enabled: inRange(settled, block),
    })),
  });

  const byBlock = new Map(blocks.map((block, i) => [block, pages[i]?.data]));
  return {
    userAt: (index) => rowOf(byBlock.get(Math.floor(index / BLOCK_ROWS)), index),
    anyNextSync: [...byBlock.values()].some((page) => page?.users.some(hasNextSync)),
    error: pages.find((page) => page.error !== null)?.error ?? null,
  };
}

function blockRange(first: number, last: number): number[] {
  const from = Math.floor(first / BLOCK_ROWS);
  const to = Math.floor(Math.max(first, last) / BLOCK_ROWS);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function inRange(range: string, block: number): boolean {
  const [from, to] = range.split(':').map(Number) as [number, number];
  return block >= from && block <= to;
}

function rowOf(page: UsersPage | undefined, index: number) {
  const user = page?.users[index % BLOCK_ROWS];
  return page === undefined || user === undefined ? undefined : { user, at: page.at };
}

function hasNextSync(user: ReplicatorUser): boolean {
  return user.nextSyncSeconds !== null;
}

/** The value once it has stayed the same for `delayMs`; until then, the one settled before. */
function useSettled(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
