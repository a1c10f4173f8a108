/**
 * Ordering the rows of a user table held as columns and a byte arena, without making a
 * string or an object per row: a multikey quicksort (Bentley and Sedgewick) whose keys are,
 * in turn, numeric columns, the username's bytes one position at a time, and the row
 * number. Byte order is UTF-8 order, which is code point order, and it is the order in which
 * Dovecot itself compares usernames.
 *
 * It can stop short: given a window of positions, it finishes only the ranges that overlap
 * the window (as quickselect does), so the first page of a million rows costs a few passes
 * over them, not a full sort. And it can work in slices, so that a full order is built off
 * the request path without holding the event loop.
 */

/** Ranges this small are finished by insertion sort. */
const SMALL = 12;

/** How many ranges are handled between two looks at the clock. */
const STEPS_PER_CLOCK = 64;

export interface SortKeys {
  /** The usernames: row i's is bytes[starts[i], starts[i + 1]). */
  bytes: Uint8Array;
  starts: Uint32Array;
  /** Compared before the username, in turn; no NaN in them. */
  columns: readonly ArrayLike<number>[];
}

/**
 * Puts rows in order of their keys (columns, then username bytes, then row number), at
 * least at the positions [from, to): what is there afterwards is what a full sort would
 * put there. Elsewhere only "no row before `from` belongs after it" holds.
 */
export class RowSorter {
  /** Ranges left to order, as (lo, hi, stage) triples; see `stage` below. */
  private readonly work: number[];
  private readonly from: number;
  private readonly to: number;

  /**
   * @param rows the rows to order, in place; equal keys end in the order of their numbers.
   * A range at stage s < columns.length is ordered by column s next; at stage s beyond,
   * by the username's byte at depth s - columns.length.
   */
  constructor(
    private readonly keys: SortKeys,
    readonly rows: Uint32Array,
    from = 0,
    to = rows.length,
  ) {
    this.from = Math.max(0, from);
    this.to = Math.min(rows.length, to);
    this.work = this.from < this.to ? [0, rows.length, 0] : [];
  }

  /** Orders until the window is done or `deadline` (performance.now()) has passed. */
  run(deadline = Infinity): boolean {
    const work = this.work;
    let steps = 0;
    while (work.length > 0) {
      if (++steps % STEPS_PER_CLOCK === 0 && performance.now() >= deadline) return false;

      const stage = work.pop()!;
      const hi = work.pop()!;
      const lo = work.pop()!;
      if (hi <= this.from || lo >= this.to) continue;

      this.order(lo, hi, stage);
    }
    return true;
  }

  get done(): boolean {
    return this.work.length === 0;
  }

  private order(lo: number, hi: number, stage: number): void {
    const columns = this.keys.columns.length;
    if (hi - lo <= SMALL) insertionSort(this.keys, this.rows, lo, hi, stage);
    else if (stage < columns) this.partitionByNumber(lo, hi, stage);
    else this.partitionByByte(lo, hi, stage, stage - columns);
  }

  /** Splits rows[lo, hi) by column `stage` into less, equal and greater ranges. */
  private partitionByNumber(lo: number, hi: number, stage: number): void {
    const { rows } = this;
    const column = this.keys.columns[stage]!;
    const pivot = medianOfThree(
      column[rows[lo]!]!, column[rows[(lo + hi) >>> 1]!]!, column[rows[hi - 1]!]!,
    );

    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const value = column[rows[i]!]!;
      if (value < pivot) swap(rows, lt++, i++);
      else if (value > pivot) swap(rows, i, --gt);
      else i++;
    }

    this.work.push(lo, lt, stage, gt, hi, stage, lt, gt, stage + 1);
  }

  /** Splits rows[lo, hi) by the byte at `depth` into less, equal and greater ranges. */
  private partitionByByte(lo: number, hi: number, stage: number, depth: number): void {
    const { rows } = this;
    const { bytes, starts } = this.keys;
    const pivot = medianOfThree(
      byteAt(bytes, starts, rows[lo]!, depth),
      byteAt(bytes, starts, rows[(lo + hi) >>> 1]!, depth),
      byteAt(bytes, starts, rows[hi - 1]!, depth),
    );

    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const byte = byteAt(bytes, starts, rows[i]!, depth);
      if (byte < pivot) swap(rows, lt++, i++);
      else if (byte > pivot) swap(rows, i, --gt);
      else i++;
    }

    this.work.push(lo, lt, stage, gt, hi, stage);
    // Keys that ended at this depth are equal in full: they go in row order.
    if (pivot < 0) rows.subarray(lt, gt).sort();
    else this.work.push(lt, gt, stage + 1);
  }
}

/**
 * Rows 0..count-1 ordered by their keys, key i being bytes[starts[i], starts[i + 1]);
 * rows with equal keys come in row order.
 */
export function sortByBytes(bytes: Uint8Array, starts: Uint32Array, count: number): Uint32Array {
  const sorter = new RowSorter({ bytes, starts, columns: [] }, identity(count));
  sorter.run();
  return sorter.rows;
}

/** 0, 1, ..., count - 1. */
export function identity(count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/** The byte of a row's key at a depth, or -1 past its end (shorter keys sort first). */
function byteAt(bytes: Uint8Array, starts: Uint32Array, row: number, depth: number): number {
  const at = starts[row]! + depth;
  return at < starts[row + 1]! ? bytes[at]! : -1;
}

function insertionSort(
  keys: SortKeys,
  rows: Uint32Array,
  lo: number,
  hi: number,
  stage: number,
): void {
  for (let i = lo + 1; i < hi; i++) {
    const row = rows[i]!;
    let j = i - 1;
    while (j >= lo && compareFrom(keys, rows[j]!, row, stage) > 0) {
      rows[j + 1] = rows[j]!;
      j--;
    }
    rows[j + 1] = row;
  }
}

/** Compares two rows whose keys are known to be equal before `stage`. */
function compareFrom(keys: SortKeys, a: number, b: number, stage: number): number {
  const { columns } = keys;
  for (let s = stage; s < columns.length; s++) {
    const difference = columns[s]![a]! - columns[s]![b]!;
    if (difference !== 0) return difference;
  }
  const depth = Math.max(0, stage - columns.length);
  return compareBytesFrom(keys.bytes, keys.starts, a, b, depth) || a - b;
}

function compareBytesFrom(
  bytes: Uint8Array,
  starts: Uint32Array,
  a: number,
  b: number,
  depth: number,
): number {
  const aEnd = starts[a + 1]!;
  const bEnd = starts[b + 1]!;
  let i = starts[a]! + depth;
  let j = starts[b]! + depth;
  for (; i < aEnd && j < bEnd; i++, j++) {
    if (bytes[i] !== bytes[j]) return bytes[i]! - bytes[j]!;
  }
  return (aEnd - i) - (bEnd - j);
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function swap(rows: Uint32Array, i: number, j: number): void {
  const row = rows[i]!;
  rows[i] = rows[j]!;
  rows[j] = row;
}
