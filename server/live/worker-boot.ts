/**
 * How the server's worker threads start. The server runs its TypeScript through tsx; a
 * worker needs the same loader, and Node 20 does not apply `--import tsx` to a worker's own
 * entry file, so a small script registers tsx and then imports the worker.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';

import { moduleLogger } from '../log';

/** Starts the worker at `entry` (a module URL), not keeping the process alive. */
export function startWorker(entry: URL): Worker {
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(entry.href)}); });`;
  const worker = new Worker(boot, { eval: true });
  worker.unref();
  return worker;
}

/**
 * Makes the calling worker thread the last to get a CPU (nice 19). On Linux a priority is a
 * thread's own, so the event loop and the reading thread keep theirs. Parsing a search and
 * sorting it can wait; reading it can't: the replicator writes a large answer as fast as it
 * makes it, and on a two-core machine a reader that shares its CPU with what follows a large
 * search (its sorts, garbage collection) leaves it buffering tens of megabytes, enough to die
 * of "Out of memory" at Dovecot's default `vsz_limit`.
 */
export function lowerThisThreadsPriority(): void {
  try {
    os.setPriority(0, 19);
  } catch (error) {
    moduleLogger('worker').debug({ err: error }, 'thread priority not lowered');
  }
}

/** A worker's jobs come in bursts (a read's batches, the orders of one search): wait this out. */
const IDLE_MS = 100;
let idleTimer: NodeJS.Timeout | undefined;
let fullCollection: (() => void) | undefined;

/**
 * A full garbage collection of the calling worker's heap once it has had no job for a
 * moment. A worker's jobs leave large buffers behind (a read: what the table outgrew and the
 * batches it was sent; an order: its sort keys, 8 to 12 MB) while its own heap stays small,
 * so V8 would not collect for a long time: some 200 MB after a million users. A worker
 * cannot be started with --expose-gc, so the flag is set here and `gc` taken from a new
 * context, only in the workers that call this.
 */
export function collectGarbageWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    fullCollection ??= exposeGc();
    fullCollection();
  }, IDLE_MS);
  idleTimer.unref();
}

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * How a worker's message answers a job: its id and result (an Error fails the job), or
 * nothing (another message).
 */
export type JobAnswer<Result> =
  (message: unknown) => { id: number; result: Result | Error } | undefined;

/**
 * A worker thread that answers jobs by id, started on first use. Once it fails, the jobs
 * waiting fail with its error (logged once) and `working` turns false: the owner then does
 * the work in the event loop.
 */
export class JobWorker<Result> {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, (result: Result | Error) => void>();

  /**
   * @param entry the worker's module
   * @param what what it does, for the log: "user parsing", "order"
   * @param answer reads a job's answer from a message
   */
  constructor(
    private readonly entry: URL,
    private readonly what: string,
    private readonly answer: JobAnswer<Result>,
  ) {}

  /** False once the worker failed. */
  get working(): boolean {
    return !this.failed;
  }

  /** The running worker, started now if need be. */
  thread(): Worker {
    if (this.worker !== undefined) return this.worker;

    const worker = startWorker(this.entry);
    worker.on('message', (message: unknown) => this.answered(message));
    worker.on('error', (error) => this.giveUp(error));
    worker.on('exit', (code) => this.giveUp(new Error(`${this.what} worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** A new job: its id for the messages, and its result once the worker answers it. */
  job(): { id: number; result: Promise<Result> } {
    const id = this.nextId++;
    const result = new Promise<Result>((resolve, reject) => {
      this.pending.set(id, (outcome) => {
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      });
    });
    // Handled here too: a worker that dies before the owner awaits must not end the process.
    result.catch(() => undefined);
    return { id, result };
  }

  /** Fails a job for a reason found elsewhere (another thread it depended on failed). */
  fail(id: number, error: Error): void {
    this.settle(id, error);
  }

  /** Forgets a job whose answer nobody waits for any more. */
  forget(id: number): void {
    this.pending.delete(id);
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private answered(message: unknown): void {
    const answered = this.answer(message);
    if (answered !== undefined) this.settle(answered.id, answered.result);
  }

  private settle(id: number, result: Result | Error): void {
    const settle = this.pending.get(id);
    this.pending.delete(id);
    settle?.(result);
  }

  private giveUp(error: Error): void {
    if (this.worker === undefined) return;

    this.worker = undefined;
    this.failed = true;
    moduleLogger('worker').warn({ err: error, worker: this.what },
      'worker failed; its work is done in the event loop');
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }
}
