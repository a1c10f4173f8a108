/**
 * The worker thread that parses user searches (see user-reading.ts): the same splitter,
 * reader and table as in the event loop, one set per read in progress; a finished table's
 * columns go back in SharedArrayBuffers.
 */
import { parentPort } from 'node:worker_threads';

import { UserStatusReader } from '../replicator/answers';
import { LineSplitter } from '../replicator/lines';
import { UserTable } from './user-table';
import type { ReadingMessage, ReadingResult } from './user-reading';
import { warmUpUserParsing } from './warm-up';
import { lowerThisThreadsPriority } from './worker-boot';

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
}

function finish(id: number): ReadingResult {
  const read = reads.get(id) ?? startRead();
  reads.delete(id);
  try {
    return { id, columns: read.table.columns(), unparsed: read.reader.result() };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}

lowerThisThreadsPriority();
warmUpUserParsing();

parentPort!.on('message', (message: ReadingMessage) => {
  if (message.kind === 'lines') take(message.id, message.bytes);
  else if (message.kind === 'drop') reads.delete(message.id);
  else parentPort!.postMessage(finish(message.id));
});
parentPort!.postMessage('ready');
