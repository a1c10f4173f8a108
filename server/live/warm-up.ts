/**
 * The user-line parser compiled before the first search. V8 runs new code in its
 * interpreter until it has seen enough of it; the first million-user answer after a start
 * was parsed 200-300 ms slower than the next ones (bench/results, and side-by-side reads
 * of the scale pair), and a slow reader is what makes the replicator run out of memory.
 */
import { UserStatusReader } from '../replicator/answers';
import { LineSplitter } from '../replicator/lines';
import { UserTable } from './user-table';

/** Lines parsed: enough for V8 to optimise the hot functions; 0.1-0.25 s here, once. */
const LINES = 50_000;
const DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Parses a made-up STATUS answer through the same splitter, reader and table. */
export function warmUpUserParsing(): { users: number; unparsed: number } {
  const table = new UserTable();
  const reader = new UserStatusReader((line) => table.addLine(line));
  const splitter = new LineSplitter();
  for (const chunk of madeUpAnswer()) {
    splitter.push(chunk, (bytes, start, end) => !reader.take(bytes, start, end));
  }
  table.page({ sort: 'username', order: 'asc', filter: {} }, 0, 100, 0);
  table.retire();
  return { users: table.length, unparsed: reader.result().count };
}

/** An answer of LINES users in both forms (six and seven fields), cut into 64 KiB chunks. */
function madeUpAnswer(): Buffer[] {
  const lines: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const next = i % 2 === 0 ? '' : `\t${i % 300}`;
    lines.push(`w${(i * 7919) % LINES}@${DOMAINS[i % 3]}\tnone\t1764770000\t` +
      `${1764770000 - (i % 43_200)}\t${i % 100 === 7 ? 1 : 0}\t1764770000${next}\n`);
  }
  const answer = Buffer.from(`${lines.join('')}\n`);
  const chunks: Buffer[] = [];
  for (let at = 0; at < answer.length; at += 65_536) chunks.push(answer.subarray(at, at + 65_536));
  return chunks;
}
