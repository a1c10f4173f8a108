/**
 * Who builds a full order of a user table: a worker thread in the server, short slices of
 * the event loop where no worker is wanted (tests, the benchmark's own client) or where the
 * worker cannot start.
 */
import type { Worker } from 'node:worker_threads';

import { moduleLogger } from '../log';
import { RowSorter, type SortKeys } from './byte-sort';
import { startWorker } from './worker-boot';

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

const log = moduleLogger('order-sorter');

/**
 * Sorts in one worker thread, started on first use and not keeping the process alive. The
 * keys are best in SharedArrayBuffers (UserTable shares them): then only the rows move.
 */
export class WorkerSorter {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (rows: Uint32Array | Error) => void>();

  readonly sort: OrderSorter = (keys, rows) => {
    if (this.failed) return slicedSorter(keys, rows);

    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (result) => {
        if (result instanceof Error) reject(result);
        else resolve(result);
      });
      const job: SortJob = { id, keys, rows };
      this.start().postMessage(job, [rows.buffer as ArrayBuffer]);
    });
  };

  /** False once the worker failed and orders are built in the event loop instead. */
  get working(): boolean {
    return !this.failed;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;

    const worker = startWorker(new URL('./order-worker.ts', import.meta.url));
    worker.on('message', ({ id, rows }: SortResult) => this.settle(id, rows));
    worker.on('error', (error) => this.giveUp(error));
    worker.on('exit', (code) => this.giveUp(new Error(`order worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(id: number, result: Uint32Array | Error): void {
    const settle = this.pending.get(id);
    this.pending.delete(id);
    settle?.(result);
  }

  /** Orders still wanted are then built in slices; the failure is logged once. */
  private giveUp(error: Error): void {
    if (this.worker === undefined) return;

    this.worker = undefined;
    this.failed = true;
    log.warn({ err: error }, 'order worker failed; building orders in the event loop');
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }
}
