/**
 * The worker thread that parses user searches (see user-reading.ts): batches of lines from
 * the reading thread (status-reader-worker.ts), over a port of theirs, or from the event
 * loop. The WebAssembly parser (user-lines.ts) fills the same table as in the event loop,
 * one reader and table per read in progress; where the module cannot be made, the event
 * loop's own reader parses here. A finished table's columns are moved back (their buffers
 * transferred), and so are the batches it was sent.
 */
import { parentPort } from 'node:worker_threads';

import { UserStatusReader, type UserBatchReader } from '../replicator/answers';
import { UserLineParser } from '../replicator/user-lines';
import { moduleLogger } from '../log';
import { UserTable } from './user-table';
import type { ReadingFailure, ReadingMessage, WorkerAnswer } from './user-reading';
import { warmUpBatchParsing } from './warm-up';
import { collectGarbageWhenIdle, lowerThisThreadsPriority } from './worker-boot';

interface Read {
  reader: UserBatchReader;
  table: UserTable;
}

const reads = new Map<number, Read>();

let parser: UserLineParser | undefined;

function readerFor(table: UserTable): UserBatchReader {
  return parser?.reader(table) ?? new UserStatusReader((line) => table.addLine(line));
}

function startRead(): Read {
  const table = new UserTable();
  return { reader: readerFor(table), table };
}

function take(id: number, bytes: Uint8Array): void {
  let read = reads.get(id);
  if (read === undefined) reads.set(id, (read = startRead()));

  read.reader.takeLines(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0,
    bytes.byteLength);

  const spent: WorkerAnswer = { kind: 'spent', buffer: bytes.buffer as ArrayBuffer };
  parentPort!.postMessage(spent, [spent.buffer]);
}

/** Passes a failure of the reading thread on as the read's answer. */
function fail(id: number, failure: ReadingFailure): void {
  reads.delete(id);
  parentPort!.postMessage({ kind: 'failed', id, failure } satisfies WorkerAnswer);
  if (reads.size === 0) collectGarbageWhenIdle();
}

/** Hands a finished read's table over, its buffers moved rather than copied. */
function finish(id: number): void {
  const read = reads.get(id) ?? startRead();
  reads.delete(id);

  const columns = read.table.columns();
  const result: WorkerAnswer = { kind: 'read', id, columns, unparsed: read.reader.result() };
  const buffers = new Set(Object.values(columns).flatMap((column: unknown) =>
    ArrayBuffer.isView(column) ? [column.buffer as ArrayBuffer] : []));
  parentPort!.postMessage(result, [...buffers]);
  if (reads.size === 0) collectGarbageWhenIdle();
}

lowerThisThreadsPriority();
parser = await UserLineParser.load().catch((error: unknown) => {
  moduleLogger('user-parsing').warn({ err: error },
    'WebAssembly user-line parser not made; parsing in JavaScript');
  return undefined;
});
warmUpBatchParsing(readerFor);

function handle(message: ReadingMessage): void {
  if (message.kind === 'port') message.port.on('message', handle);
  else if (message.kind === 'lines') take(message.id, message.bytes);
  else if (message.kind === 'failed') fail(message.id, message.failure);
  else if (message.kind === 'drop') reads.delete(message.id);
  else finish(message.id);
}

parentPort!.on('message', handle);
parentPort!.postMessage({ kind: 'ready' } satisfies WorkerAnswer);
