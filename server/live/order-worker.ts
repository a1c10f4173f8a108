/**
 * A worker thread that builds full user orders (RowSorter to the end), so that a million-row
 * sort runs beside the event loop rather than in slices of it: in slices, every request
 * answered meanwhile waited for a slice at each of its many turns of the loop.
 */
import { parentPort } from 'node:worker_threads';

import { sortInFull } from './byte-sort';
import type { SortJob, SortResult } from './order-sorter';
import { collectGarbageWhenIdle, lowerThisThreadsPriority } from './worker-boot';

lowerThisThreadsPriority();

parentPort!.on('message', ({ id, keys, rows }: SortJob) => {
  sortInFull(keys, rows);
  const result: SortResult = { id, rows };
  parentPort!.postMessage(result, [rows.buffer as ArrayBuffer]);
  collectGarbageWhenIdle();
});
