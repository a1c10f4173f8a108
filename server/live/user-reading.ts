/**
 * How a user search is read into a kept table. Over the doveadm protocol, a reading thread
 * reads the answer on a connection of its own and a parsing thread parses it as it comes,
 * while the event loop goes on serving (see status-connection.ts for why the event loop must
 * not be the reader of a million users). Where the reading thread cannot connect, or a
 * transport hands out the answer's lines but no connection, the lines are read here and
 * parsed there; the HTTP API, and any search when the parsing thread cannot run, are parsed
 * in the event loop as they are read.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';

import type { UnparsedLines } from '../replicator/answers';
import { ReplicatorError, type ReplicatorErrorCode } from '../replicator/errors';
import type { ReplicatorTransport, StatusConnection } from '../replicator/transport';
import { moduleLogger } from '../log';
import { BATCH_BYTES, LineBatches } from './line-batches';
import type { OrderSorter } from './order-sorter';
import type { ReaderMessage } from './status-reader-worker';
import { UserTable, type UserColumns } from './user-table';
import { JobWorker, startWorker } from './worker-boot';

export interface ReadUsers {
  users: UserTable;
  unparsed: UnparsedLines;
}

/** Reads the users of a mask into a new table. */
export type UserReader = (transport: ReplicatorTransport, mask: string) => Promise<ReadUsers>;

/**
 * What the parsing thread is sent: the port the reading thread writes to; lines of read `id`
 * (from this thread or the reading thread), then their end, or that the read failed (the
 * reading thread) or is given up (this thread).
 */
export type ReadingMessage =
  | { kind: 'port'; port: MessagePort }
  | { kind: 'lines'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'failed'; id: number; failure: ReadingFailure }
  | { kind: 'drop'; id: number };

/** A read that failed in the reading thread, as it crosses between threads. */
export interface ReadingFailure {
  code: ReplicatorErrorCode;
  message: string;
  replicator: string;
  command?: string;
  hint: string | null;
}

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
  | ({ kind: 'read' } & ReadingResult)
  | { kind: 'failed'; id: number; failure: ReadingFailure };

/**
 * Batches the worker sends back are used again, up to this many: a million users then
 * pass through a few buffers instead of 250 new ones, which the allocator kept long after.
 */
const SPARE_BATCHES = 16;
const log = moduleLogger('user-reading');

/** Fills the table in this thread, line by line as the answer is read. */
export function readInThread(sorter?: OrderSorter): UserReader {
  return async (transport, mask) => {
    const users = new UserTable(sorter);
    const unparsed = await transport.statusUsers(mask, users);
    return { users, unparsed };
  };
}

/**
 * One reading thread and one parsing thread serve every replicator's user searches; both
 * are started by `prepare`, or on first use.
 */
export class WorkerUserReader {
  private readonly worker = new JobWorker<ReadingResult>(
    new URL('./user-reading-worker.ts', import.meta.url), 'user parsing',
    (message) => this.answered(message as WorkerAnswer),
  );
  private readonly spare: ArrayBuffer[] = [];
  private readonly inThread: UserReader;
  private reader: Worker | undefined;
  private readerBroken = false;
  /** Reads the reading thread has now. */
  private readonly viaReader = new Set<number>();

  constructor(private readonly sorter?: OrderSorter) {
    this.inThread = readInThread(sorter);
  }

  readonly read: UserReader = async (transport, mask) => {
    if (!this.worker.working) return this.inThread(transport, mask);

    const connection = transport.statusConnection?.();
    const reader = connection === undefined ? undefined : this.statusReader();
    if (reader !== undefined) {
      try {
        const read = await this.readThere(reader, connection!, mask);
        connection!.sent();
        return read;
      } catch (error) {
        // The command connection may still be open where no new one can be (a socket file
        // removed under a running Dovecot): the search is read there instead.
        if (!couldNotConnect(error)) {
          connection!.sent();
          throw error;
        }
      }
    }
    return this.readLinesHere(transport, mask);
  };

  /** Reads the answer's lines in this thread for the worker to parse, or parses them here. */
  private async readLinesHere(transport: ReplicatorTransport, mask: string) {
    if (transport.statusUserLines === undefined) return this.inThread(transport, mask);

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
  }

  /** Has the reading thread read a search on a connection of its own, the parser parse it. */
  private async readThere(reader: Worker, connection: StatusConnection, mask: string) {
    const { id, result } = this.worker.job();
    this.viaReader.add(id);
    const message: ReaderMessage = { kind: 'status', id, options: connection.options, mask };
    reader.postMessage(message);
    try {
      return this.table(await result);
    } finally {
      this.viaReader.delete(id);
    }
  }

  /** The reading thread, started (and given its port to the parser) on first use. */
  private statusReader(): Worker | undefined {
    if (this.readerBroken || !this.worker.working) return undefined;
    if (this.reader !== undefined) return this.reader;

    const reader = startWorker(new URL('./status-reader-worker.ts', import.meta.url));
    const { port1, port2 } = new MessageChannel();
    reader.postMessage({ kind: 'port', port: port1 } satisfies ReaderMessage, [port1]);
    post(this.worker.thread(), { kind: 'port', port: port2 });
    reader.on('error', (error) => this.readerFailed(error));
    reader.on('exit', (code) => this.readerFailed(new Error(`reading worker exited with ${code}`)));
    this.reader = reader;
    return reader;
  }

  /** Searches read here from now on; those the reading thread had fail with its error. */
  private readerFailed(error: Error): void {
    if (this.reader === undefined) return;

    this.reader = undefined;
    this.readerBroken = true;
    log.warn({ err: error }, 'reading worker failed; searches are read in the event loop');
    for (const id of this.viaReader) {
      this.worker.fail(id, error);
      post(this.worker.thread(), { kind: 'drop', id });
    }
  }

  /** Starts both threads; resolves once they are compiled and warm, or could not start. */
  prepare(): Promise<void> {
    if (!this.worker.working) return Promise.resolve();

    const threads = [this.worker.thread(), this.statusReader()];
    return Promise.all(threads.map((thread) => thread && firstWord(thread))).then(() => {});
  }

  /** False once the worker failed and searches are parsed in the event loop instead. */
  get working(): boolean {
    return this.worker.working;
  }

  close(): void {
    void this.reader?.terminate();
    this.reader = undefined;
    this.worker.close();
  }

  private table({ columns, unparsed }: ReadingResult): ReadUsers {
    return { users: UserTable.fromColumns(columns, this.sorter), unparsed };
  }

  /** A read that ended answers its job; a batch the worker is done with is kept for reuse. */
  private answered(answer: WorkerAnswer) {
    if (answer.kind === 'read') return { id: answer.id, result: answer };
    if (answer.kind === 'failed') return { id: answer.id, result: failureError(answer.failure) };

    if (answer.kind === 'spent' && this.spare.length < SPARE_BATCHES) {
      this.spare.push(answer.buffer);
    }
    return undefined;
  }
}

/** Resolves at a thread's first message (it is ready) or its exit. */
function firstWord(thread: Worker): Promise<void> {
  return new Promise((resolve) => {
    const settled = () => {
      thread.off('message', settled);
      thread.off('exit', settled);
      resolve();
    };
    thread.on('message', settled);
    thread.on('exit', settled);
  });
}

/** Failures of opening a connection, not of one that was open. */
const CONNECTING: ReadonlySet<ReplicatorErrorCode> = new Set(['no_such_socket',
  'permission_denied', 'connection_refused', 'unreachable']);

function couldNotConnect(error: unknown): boolean {
  return error instanceof ReplicatorError && CONNECTING.has(error.code);
}

function failureError({ code, message, replicator, command, hint }: ReadingFailure) {
  return new ReplicatorError(code, message, { replicator, command, hint: hint ?? undefined });
}

function post(worker: Worker, message: ReadingMessage): void {
  if (message.kind === 'lines') worker.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
  else if (message.kind === 'port') worker.postMessage(message, [message.port]);
  else worker.postMessage(message);
}
