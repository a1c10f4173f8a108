/**
 * The user-line parser compiled before the first search. V8 runs new code in its
 * interpreter until it has seen enough of it; the first million-user answer after a start
 * was parsed 200-300 ms slower than the next ones (bench/results, and side-by-side reads
 * of the scale pair), and a slow reader is what makes the replicator run out of memory.
 */
import { UserStatusReader, type UserBatchReader } from '../replicator/answers';
import { LineSplitter } from '../replicator/lines';
import { UserTable } from './user-table';

/** Lines parsed: enough for V8 to optimise the hot functions; 0.1-0.25 s here, once. */
const LINES = 50_000;
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const CHUNK_BYTES = 65_536;
const LF = 0x0a;

/** Parses a made-up STATUS answer line by line through the splitter, as the event loop reads. */
export function warmUpUserParsing(): WarmUpResult {
  const table = new UserTable();
  const reader = new UserStatusReader((line) => table.addLine(line));
  readLineByLine(reader);
  return finish(table, reader);
}

/** The same answer in batches of whole lines, as the parsing thread is sent them. */
export function warmUpBatchParsing(readerFor: (table: UserTable) => UserBatchReader) {
  const table = new UserTable();
  const reader = readerFor(table);
  readInBatches(reader);
  return finish(table, reader);
}

interface WarmUpResult {
  users: number;
  unparsed: number;
}

function finish(table: UserTable, reader: UserBatchReader): WarmUpResult {
  table.page({ sort: 'username', order: 'asc', filter: {} }, 0, 100, 0);
  table.retire();
  return { users: table.length, unparsed: reader.result().count };
}

function readLineByLine(reader: UserStatusReader): void {
  const splitter = new LineSplitter();
  const answer = madeUpAnswer();
  for (let at = 0; at < answer.length; at += CHUNK_BYTES) {
    const chunk = answer.subarray(at, at + CHUNK_BYTES);
    splitter.push(chunk, (bytes, start, end) => !reader.take(bytes, start, end));
  }
}

function readInBatches(reader: UserBatchReader): void {
  const answer = madeUpAnswer();
  const lines = answer.subarray(0, answer.length - 1);
  for (let at = 0; at < lines.length;) {
    const end = lines.lastIndexOf(LF, Math.min(at + CHUNK_BYTES, lines.length) - 1) + 1;
    reader.takeLines(lines, at, end);
    at = end;
  }
}

/** An answer of LINES users in both forms (six and seven fields), and its empty line. */
function madeUpAnswer(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const next = i % 2 === 0 ? '' : `\t${i % 300}`;
    lines.push(`w${(i * 7919) % LINES}@${DOMAINS[i % 3]}\tnone\t1764770000\t` +
      `${1764770000 - (i % 43_200)}\t${i % 100 === 7 ? 1 : 0}\t1764770000${next}\n`);
  }
  return Buffer.from(`${lines.join('')}\n`);
}
