/**
 * Who builds a full order of a user table: a worker thread in the server, short slices of
 * the event loop where no worker is wanted (tests, the benchmark's own client) or where the
 * worker cannot start.
 */
import { RowSorter, type SortKeys } from './byte-sort';
import { JobWorker } from './worker-boot';

/** Orders `rows` in full by `keys`; resolves with the ordered rows (perhaps another array). */
export type OrderSorter = (keys: SortKeys, rows: Uint32Array) => Promise<Uint32Array>;

export interface SortJob {
  id: number;
  keys: SortKeys;
  rows: Uint32Array;
}

export interface SortResult {
  id: number;
  rows: Uint32Array;
}

/** One slice holds the event loop this long at most (one partition may exceed it). */
const SLICE_MS = 4;

/** Sorts in slices of the event loop, one setImmediate apart. */
export const slicedSorter: OrderSorter = (keys, rows) => {
  const sorter = new RowSorter(keys, rows);
  return new Promise((resolve) => {
    const slice = () => {
      if (sorter.run(performance.now() + SLICE_MS)) resolve(sorter.rows);
      else setImmediate(slice);
    };
    setImmediate(slice);
  });
};

/**
 * Sorts in one worker thread, started on first use and not keeping the process alive. The
 * keys are best in SharedArrayBuffers (UserTable shares them): then only the rows move.
 */
export class WorkerSorter {
  private readonly worker = new JobWorker<Uint32Array>(
    new URL('./order-worker.ts', import.meta.url), 'order',
    (message) => {
      const { id, rows } = message as SortResult;
      return { id, result: rows };
    },
  );

  readonly sort: OrderSorter = (keys, rows) => {
    if (!this.worker.working) return slicedSorter(keys, rows);

    const { id, result } = this.worker.job();
    const job: SortJob = { id, keys, rows };
    this.worker.thread().postMessage(job, [rows.buffer as ArrayBuffer]);
    return result;
  };

  /** False once the worker failed and orders are built in the event loop instead. */
  get working(): boolean {
    return this.worker.working;
  }

  close(): void {
    this.worker.close();
  }
}
