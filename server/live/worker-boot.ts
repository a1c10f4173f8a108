/**
 * How the server's worker threads start. The server runs its TypeScript through tsx; a
 * worker needs the same loader, and Node 20 does not apply `--import tsx` to a worker's own
 * entry file, so a small script registers tsx and then imports the worker.
 */
import os from 'node:os';
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
 * thread's own, so the event loop keeps its own. Parsing a search can wait; the socket can't:
 * the replicator writes a large answer in one go, and on a busy two-core machine a reader
 * that gets too little CPU leaves it buffering tens of megabytes, enough to die of "Out of
 * memory" at Dovecot's default `vsz_limit`.
 */
export function lowerThisThreadsPriority(): void {
  try {
    os.setPriority(0, 19);
  } catch (error) {
    moduleLogger('worker').debug({ err: error }, 'thread priority not lowered');
  }
}
