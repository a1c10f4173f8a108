/**
 * The thread that reads large user searches off the replicator, each on a connection of its
 * own (status-connection.ts), and does nothing else: it never pauses long, which is what
 * keeps the replicator alive at a million users (see there). The lines go in batches
 * straight to the parsing thread (user-reading-worker.ts), over a port the two share.
 */
import { type MessagePort, parentPort } from 'node:worker_threads';

import { ReplicatorError } from '../replicator/errors';
import { readStatusLines, type StatusConnectionOptions } from '../replicator/status-connection';
import { BATCH_BYTES, LineBatches } from './line-batches';
import type { ReadingFailure, ReadingMessage } from './user-reading';

/** What this thread is told: the port to the parsing thread, then searches to read. */
export type ReaderMessage =
  | { kind: 'port'; port: MessagePort }
  | { kind: 'status'; id: number; options: StatusConnectionOptions; mask: string };

let parser: MessagePort | undefined;

function send(message: ReadingMessage): void {
  if (message.kind === 'lines') parser!.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
  else parser!.postMessage(message);
}

function read(id: number, options: StatusConnectionOptions, mask: string): void {
  const batches = new LineBatches((bytes) => send({ kind: 'lines', id, bytes }),
    () => new ArrayBuffer(BATCH_BYTES));
  // Each range ends with its last line's LF, which the batches add themselves.
  readStatusLines(options, mask, (bytes, start, end) => batches.lines(bytes, start, end - 1))
    .then(() => {
      batches.flush();
      send({ kind: 'end', id });
    }, (error: unknown) => send({ kind: 'failed', id, failure: failureOf(error, options) }));
}

function failureOf(error: unknown, options: StatusConnectionOptions): ReadingFailure {
  if (error instanceof ReplicatorError) {
    const { code, message, replicator, command, hint } = error;
    return { code, message, replicator, command, hint };
  }
  return { code: 'protocol_error', message: String(error), replicator: options.replicator,
    hint: null };
}

parentPort!.on('message', (message: ReaderMessage) => {
  if (message.kind === 'port') parser = message.port;
  else read(message.id, message.options, message.mask);
});
parentPort!.postMessage({ kind: 'ready' });
