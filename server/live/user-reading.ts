/**
 * How a user search is read into a kept table. Where the transport hands out the answer's
 * lines unparsed (the doveadm protocol), a worker thread parses them while this thread only
 * reads: parsing a million lines as they arrive made the event loop the slower side of the
 * socket, so the first page of a large search waited on it, the replicator buffered what
 * was not read yet, and every other request waited too. Elsewhere, and when the worker
 * cannot run, the table is filled in this thread as the answer is read.
 */
import type { Worker } from 'node:worker_threads';

import type { UnparsedLines, UserLineSink } from '../replicator/answers';
import type { ReplicatorTransport } from '../replicator/transport';
import type { OrderSorter } from './order-sorter';
import { UserTable, type UserColumns } from './user-table';
import { JobWorker } from './worker-boot';

export interface ReadUsers {
  users: UserTable;
  unparsed: UnparsedLines;
}

/** Reads the users of a mask into a new table. */
export type UserReader = (transport: ReplicatorTransport, mask: string) => Promise<ReadUsers>;

/** What the worker is sent: lines of read `id`, then its end (or that it is given up). */
export type ReadingMessage =
  | { kind: 'lines'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'drop'; id: number };

/** A read that ended: its table's columns, and the lines that did not parse. */
export interface ReadingResult {
  id: number;
  columns: UserColumns;
  unparsed: UnparsedLines;
}

/** What the worker answers: that it is ready, a batch it is done with, a read that ended. */
export type WorkerAnswer =
  | { kind: 'ready' }
  | { kind: 'spent'; buffer: ArrayBuffer }
  | ({ kind: 'read' } & ReadingResult);

/** Lines go to the worker in batches about this large: a few milliseconds of reading. */
const BATCH_BYTES = 256 * 1024;
/**
 * Batches the worker sends back are used again, up to this many: a million users then
 * pass through a few buffers instead of 250 new ones, which the allocator kept long after.
 */
const SPARE_BATCHES = 16;

/** Fills the table in this thread, line by line as the answer is read. */
export function readInThread(sorter?: OrderSorter): UserReader {
  return async (transport, mask) => {
    const users = new UserTable(sorter);
    const unparsed = await transport.statusUsers(mask, users);
    return { users, unparsed };
  };
}

/** One worker thread parses every replicator's user searches; started on first use. */
export class WorkerUserReader {
  private readonly worker = new JobWorker<ReadingResult>(
    new URL('./user-reading-worker.ts', import.meta.url), 'user parsing',
    (message) => this.answered(message as WorkerAnswer),
  );
  private readonly spare: ArrayBuffer[] = [];
  private readonly inThread: UserReader;

  constructor(private readonly sorter?: OrderSorter) {
    this.inThread = readInThread(sorter);
  }

  readonly read: UserReader = async (transport, mask) => {
    if (!this.worker.working || transport.statusUserLines === undefined) {
      return this.inThread(transport, mask);
    }

    const { id, result } = this.worker.job();
    const worker = this.worker.thread();
    const batches = new LineBatches(
      (bytes) => post(worker, { kind: 'lines', id, bytes }),
      () => this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES),
    );
    try {
      await transport.statusUserLines(mask, batches);
    } catch (error) {
      this.worker.forget(id);
      post(worker, { kind: 'drop', id });
      throw error;
    }

    batches.flush();
    post(worker, { kind: 'end', id });
    return this.table(await result);
  };

  /** Starts the worker; resolves once it is compiled and warm, or could not start. */
  prepare(): Promise<void> {
    if (!this.worker.working) return Promise.resolve();

    const worker = this.worker.thread();
    return new Promise((resolve) => {
      const settled = () => {
        worker.off('message', settled);
        worker.off('exit', settled);
        resolve();
      };
      worker.on('message', settled);
      worker.on('exit', settled);
    });
  }

  /** False once the worker failed and searches are parsed in the event loop instead. */
  get working(): boolean {
    return this.worker.working;
  }

  close(): void {
    this.worker.close();
  }

  private table({ columns, unparsed }: ReadingResult): ReadUsers {
    return { users: UserTable.fromColumns(columns, this.sorter), unparsed };
  }

  /** A read that ended answers its job; a batch the worker is done with is kept for reuse. */
  private answered(answer: WorkerAnswer): { id: number; result: ReadingResult } | undefined {
    if (answer.kind === 'read') return { id: answer.id, result: answer };

    if (answer.kind === 'spent' && this.spare.length < SPARE_BATCHES) {
      this.spare.push(answer.buffer);
    }
    return undefined;
  }
}

function post(worker: Worker, message: ReadingMessage): void {
  if (message.kind === 'lines') worker.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
  else worker.postMessage(message);
}

/**
 * Copies ranges of lines into batches of whole lines (each ending in LF), handed on when
 * full: a batch's buffer is then transferred, not copied again.
 */
class LineBatches implements UserLineSink {
  private batch: Uint8Array;
  private used = 0;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly emptyBatch: () => ArrayBuffer,
  ) {
    this.batch = new Uint8Array(emptyBatch());
  }

  lines(bytes: Buffer, start: number, end: number): void {
    const length = end - start + 1;
    if (this.used + length > this.batch.length) {
      this.flush();
      // A line cut across chunks comes alone; no line comes near a mebibyte (the client).
      if (length > this.batch.length) this.batch = new Uint8Array(length);
    }

    bytes.copy(this.batch, this.used, start, end);
    this.batch[this.used + length - 1] = 0x0a;
    this.used += length;
  }

  /** Hands on what is batched. */
  flush(): void {
    if (this.used === 0) return;

    this.send(this.batch.subarray(0, this.used));
    this.batch = new Uint8Array(this.emptyBatch());
    this.used = 0;
  }
}
