/**
 * A `STATUS <mask>` answer's user lines parsed by WebAssembly (user-lines.wat) in batches of
 * whole lines: the same result as UserStatusReader.takeLines, about four times faster. For a
 * million users the parse is most of what the first page waits for once the replicator's
 * last byte is in; in JavaScript it is some 250 ms of a thread's time, here some 60 ms.
 *
 * The module is compiled from its text when first loaded (wabt), so what runs is always what
 * the repository holds; it is small and compiles in tens of milliseconds.
 */
import { readFile } from 'node:fs/promises';

import { UserLine, type UnparsedLines, type UserBatchReader } from './answers';
import {
  FAILED_FLAG,
  PRIORITY_BY_RANK,
  type ParsedUserRows,
  type UserRowsSink,
} from './user-rows';

/** A batch's rows, and where each row's line starts in the batch. */
type BatchViews = ParsedUserRows & { input: Uint8Array; lineStarts: Uint32Array };

const BAD = 1;
const ESCAPED = 2;
const MAX_SAMPLES = 3;
const PAGE_BYTES = 65_536;
/** Room for a batch of this many bytes at first; more is made for a longer one. */
const FIRST_CAPACITY = 256 * 1024;

type Parse = (input: number, length: number, names: number, nameEnds: number,
  lineStarts: number, priority: number, flags: number, fast: number, full: number,
  success: number, next: number) => number;

/** The compiled parser; one instance (one memory) per thread. */
export class UserLineParser {
  private capacity = 0;
  private layout!: Layout;
  private views!: BatchViews;

  private constructor(private readonly memory: WebAssembly.Memory,
    private readonly parse: Parse) {
    this.makeRoom(FIRST_CAPACITY);
  }

  /** Compiles user-lines.wat; rejects where that cannot be done (the caller falls back). */
  static async load(): Promise<UserLineParser> {
    const text = await readFile(new URL('./user-lines.wat', import.meta.url), 'utf8');
    const { default: wabt } = await import('wabt');
    const wasm = (await wabt()).parseWat('user-lines.wat', text);
    const { buffer } = wasm.toBinary({});
    wasm.destroy();

    const { instance } = await WebAssembly.instantiate(new Uint8Array(buffer));
    const { memory, parse } = instance.exports as { memory: WebAssembly.Memory; parse: Parse };
    return new UserLineParser(memory, parse);
  }

  /** A reader for one answer, its users going to `sink`. */
  reader(sink: UserRowsSink): BatchedUserReader {
    return new BatchedUserReader(this, sink);
  }

  /** Parses bytes[start, end) and hands its rows to `take`, as views valid during the call. */
  parseBatch(bytes: Buffer, start: number, end: number,
    take: (rows: number, views: BatchViews) => void): void {
    const length = end - start;
    if (length > this.capacity) this.makeRoom(length);

    const { views, layout } = this;
    views.input.set(bytes.subarray(start, end));
    const rows = this.parse(0, length, layout.names, layout.nameEnds, layout.lineStarts,
      layout.priority, layout.flags, layout.fast, layout.full, layout.success, layout.next);
    take(rows, views);
  }

  /** Lays the arrays out in memory for a batch of `bytes`, growing it as needed. */
  private makeRoom(bytes: number): void {
    this.capacity = Math.max(bytes, this.capacity);
    this.layout = layoutFor(this.capacity);
    const missing = this.layout.total - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE_BYTES));
    this.views = viewsOf(this.memory.buffer, this.layout, this.capacity);
  }
}

/** Reads one answer's batches, as UserStatusReader does, through the compiled parser. */
export class BatchedUserReader implements UserBatchReader {
  private readonly unparsed: UnparsedLines = { count: 0, samples: [] };
  private readonly line = new UserLine();

  constructor(private readonly parser: UserLineParser, private readonly sink: UserRowsSink) {}

  /** Takes whole lines, bytes[start, end), each ended by an LF (the last may end at `end`). */
  takeLines(bytes: Buffer, start: number, end: number): void {
    this.parser.parseBatch(bytes, start, end, (rows, views) => {
      let run = 0;
      for (let row = 0; row < rows; row++) {
        const flags = views.flags[row]!;
        if ((flags & (BAD | ESCAPED)) === 0) continue;

        if (row > run) this.sink.addRows(views, run, row);
        if (flags & BAD) this.count(bytes, start + views.lineStarts[row]!, end);
        else this.sink.addLine(this.escapedLine(bytes, start, views, row));
        run = row + 1;
      }
      if (rows > run) this.sink.addRows(views, run, rows);
    });
  }

  result(): UnparsedLines {
    return this.unparsed;
  }

  /** Row `row` as a UserLine over the received bytes, for its username to be unescaped. */
  private escapedLine(bytes: Buffer, start: number, views: BatchViews, row: number): UserLine {
    const nameLength = views.nameEnds[row]! - (row === 0 ? 0 : views.nameEnds[row - 1]!);
    const line = this.line;
    line.bytes = bytes;
    line.usernameStart = start + views.lineStarts[row]!;
    line.usernameEnd = line.usernameStart + nameLength;
    line.usernamePlain = false;
    line.priority = PRIORITY_BY_RANK[views.priority[row]!]!;
    line.lastFastSync = views.fast[row]!;
    line.lastFullSync = views.full[row]!;
    line.failed = (views.flags[row]! & FAILED_FLAG) !== 0;
    line.lastSuccessfulSync = views.success[row]!;
    line.nextSyncSeconds = views.next[row]! < 0 ? null : views.next[row]!;
    return line;
  }

  private count(bytes: Buffer, lineStart: number, end: number): void {
    const found = bytes.indexOf(0x0a, lineStart);
    const lineEnd = found < 0 || found > end ? end : found;
    this.unparsed.count++;
    if (this.unparsed.samples.length < MAX_SAMPLES) {
      this.unparsed.samples.push(bytes.toString('utf8', lineStart,
        Math.min(lineEnd, lineStart + 200)));
    }
  }
}

/** Where each array lies in the module's memory (byte offsets), for batches of `capacity`. */
interface Layout {
  names: number;
  nameEnds: number;
  lineStarts: number;
  priority: number;
  flags: number;
  fast: number;
  full: number;
  success: number;
  next: number;
  total: number;
}

/**
 * The input first, then the rows' arrays. A row takes two bytes of input at least (a line
 * that does not parse and its LF), so a batch has at most half its size in rows, plus one.
 */
function layoutFor(capacity: number): Layout {
  const rows = Math.ceil(capacity / 2) + 1;
  const names = align(capacity);
  const nameEnds = align(names + capacity);
  const lineStarts = nameEnds + 4 * rows;
  const priority = lineStarts + 4 * rows;
  const flags = priority + rows;
  const fast = align(flags + rows);
  const full = fast + 8 * rows;
  const success = full + 8 * rows;
  const next = success + 8 * rows;
  return { names, nameEnds, lineStarts, priority, flags, fast, full, success, next,
    total: next + 8 * rows };
}

function align(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

function viewsOf(buffer: ArrayBuffer, layout: Layout, capacity: number): BatchViews {
  const rows = Math.ceil(capacity / 2) + 1;
  return {
    input: new Uint8Array(buffer, 0, capacity),
    names: new Uint8Array(buffer, layout.names, capacity),
    nameEnds: new Uint32Array(buffer, layout.nameEnds, rows),
    lineStarts: new Uint32Array(buffer, layout.lineStarts, rows),
    priority: new Uint8Array(buffer, layout.priority, rows),
    flags: new Uint8Array(buffer, layout.flags, rows),
    fast: new Float64Array(buffer, layout.fast, rows),
    full: new Float64Array(buffer, layout.full, rows),
    success: new Float64Array(buffer, layout.success, rows),
    next: new Float64Array(buffer, layout.next, rows),
  };
}
