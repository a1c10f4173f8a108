/**
 * A worker thread that builds full user orders (RowSorter to the end), so that a million-row
 * sort runs beside the event loop rather than in slices of it: in slices, every request
 * answered meanwhile waited for a slice at each of its many turns of the loop.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

import { sortInFull } from './byte-sort';
import type { SortJob, SortResult } from './order-sorter';

/** Niceness of this thread: on a busy machine, answers and socket reads go first. */
const NICENESS = 10;

lowerPriority();

parentPort!.on('message', ({ id, keys, rows }: SortJob) => {
  sortInFull(keys, rows);
  const result: SortResult = { id, rows };
  parentPort!.postMessage(result, [rows.buffer as ArrayBuffer]);
});

/**
 * Linux gives each thread its own niceness; /proc/thread-self names this one. Elsewhere, or
 * without the right, the thread keeps the process' priority: slower to yield, still right.
 */
function lowerPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(threadId)) setPriority(threadId, NICENESS);
  } catch {
    // Not Linux, or not allowed: see above.
  }
}
