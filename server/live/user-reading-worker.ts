/**
 * The worker thread that parses user searches (see user-reading.ts): the same splitter,
 * reader and table as in the event loop, one set per read in progress; a finished table's
 * columns are moved back (their buffers transferred), and so are the batches it was sent.
 */
import { parentPort } from 'node:worker_threads';

import { UserStatusReader } from '../replicator/answers';
import { LineSplitter } from '../replicator/lines';
import { UserTable } from './user-table';
import type { ReadingMessage, WorkerAnswer } from './user-reading';
import { warmUpUserParsing } from './warm-up';
import { collectGarbageWhenIdle, lowerThisThreadsPriority } from './worker-boot';

interface Read {
  splitter: LineSplitter;
  reader: UserStatusReader;
  table: UserTable;
}

const reads = new Map<number, Read>();

function startRead(): Read {
  const table = new UserTable();
  return { splitter: new LineSplitter(), reader: new UserStatusReader((l) => table.addLine(l)),
    table };
}

function take(id: number, bytes: Uint8Array): void {
  let read = reads.get(id);
  if (read === undefined) reads.set(id, (read = startRead()));

  const { splitter, reader } = read;
  const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  splitter.push(chunk, (line, start, end) => !reader.take(line, start, end));

  // Batches hold whole lines; a part kept for the next one would point into this buffer.
  if (splitter.pendingBytes > 0) return;
  const spent: WorkerAnswer = { kind: 'spent', buffer: bytes.buffer as ArrayBuffer };
  parentPort!.postMessage(spent, [spent.buffer]);
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
warmUpUserParsing();

parentPort!.on('message', (message: ReadingMessage) => {
  if (message.kind === 'lines') take(message.id, message.bytes);
  else if (message.kind === 'drop') reads.delete(message.id);
  else finish(message.id);
});
parentPort!.postMessage({ kind: 'ready' } satisfies WorkerAnswer);
