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

/** Work between two looks at the clock, in rows handled per 1024 (and one per range). */
const STEPS_PER_CLOCK = 64;

/** Keys are copied this many rows at a time, so that a slice stays short. */
const FILL_CHUNK = 1 << 16;

/**
 * Username bytes compared at once: six bytes, each as 1 + its value or 0 past the end,
 * make a number below 257^6 < 2^53, so a double holds it exactly.
 */
const DIGIT_BYTES = 6;
const DIGIT_BASE = 257;

export interface SortKeys {
  /** The usernames: row i's is bytes[starts[i], starts[i + 1]). */
  bytes: Uint8Array;
  starts: Uint32Array;
  /** Compared before the username, in turn; no NaN in them. */
  columns: readonly ArrayLike<number>[];
  /** The last column is each row's rank in the username order: unique, so ties end there. */
  ranked?: boolean;
}

/**
 * Puts rows in order of their keys (columns, then username bytes, then row number), at
 * least at the positions [from, to): what is there afterwards is what a full sort would
 * put there. Elsewhere only "no row before `from` belongs after it" holds.
 *
 * Each range's current key is copied once into an array beside the rows (a column's value,
 * or six bytes of the username as one number), so partitioning reads memory in order rather
 * than jumping through a million rows' names: that is most of the time at this size.
 */
export class RowSorter {
  /**
   * Ranges left to order, as (lo, hi, stage, filled) quadruples: rows[lo, hi) have equal
   * keys before `stage`, and the first `filled` of them have their key in `keys`.
   */
  private readonly work: number[];
  /** keys[i] is rows[i]'s key at the stage of the range holding i, once filled. */
  private readonly keys: Float64Array;
  private readonly from: number;
  private readonly to: number;

  /**
   * @param rows the rows to order, in place; equal keys end in the order of their numbers.
   */
  constructor(
    private readonly sortKeys: SortKeys,
    readonly rows: Uint32Array,
    from = 0,
    to = rows.length,
  ) {
    this.from = Math.max(0, from);
    this.to = Math.min(rows.length, to);
    this.keys = new Float64Array(this.from < this.to ? rows.length : 0);
    this.work = this.from < this.to ? [0, rows.length, 0, 0] : [];
  }

  /** Orders until the window is done or `deadline` (performance.now()) has passed. */
  run(deadline = Infinity): boolean {
    const work = this.work;
    let budget = STEPS_PER_CLOCK;
    while (work.length > 0) {
      if (budget <= 0) {
        if (performance.now() >= deadline) return false;
        budget = STEPS_PER_CLOCK;
      }

      const filled = work.pop()!;
      const stage = work.pop()!;
      const hi = work.pop()!;
      const lo = work.pop()!;
      if (hi <= this.from || lo >= this.to) continue;

      budget -= 1 + ((Math.min(hi - lo, FILL_CHUNK)) >>> 10);
      this.order(lo, hi, stage, filled);
    }
    return true;
  }

  get done(): boolean {
    return this.work.length === 0;
  }

  /**
   * Orders rows[lo, hi), whose keys before `stage` are equal. Stage s < columns.length
   * compares column s; each stage beyond compares the next six bytes of the username.
   */
  private order(lo: number, hi: number, stage: number, filled: number): void {
    if (hi - lo <= SMALL) {
      insertionSort(this.sortKeys, this.rows, lo, hi, stage);
    } else if (lo + filled < hi) {
      const end = Math.min(hi, lo + filled + FILL_CHUNK);
      this.fill(lo + filled, end, stage);
      this.work.push(lo, hi, stage, end - lo);
    } else {
      this.partition(lo, hi, stage);
    }
  }

  private fill(lo: number, hi: number, stage: number): void {
    const { rows, keys } = this;
    const { columns, bytes, starts } = this.sortKeys;
    if (stage < columns.length) {
      const column = columns[stage]!;
      for (let i = lo; i < hi; i++) keys[i] = column[rows[i]!]!;
      return;
    }

    const depth = (stage - columns.length) * DIGIT_BYTES;
    for (let i = lo; i < hi; i++) keys[i] = digitAt(bytes, starts, rows[i]!, depth);
  }

  /** Splits rows[lo, hi) by their keys into less, equal and greater ranges. */
  private partition(lo: number, hi: number, stage: number): void {
    const { rows, keys } = this;
    const pivot = medianOfThree(keys[lo]!, keys[(lo + hi) >>> 1]!, keys[hi - 1]!);

    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const key = keys[i]!;
      if (key < pivot) swap(rows, keys, lt++, i++);
      else if (key > pivot) swap(rows, keys, i, --gt);
      else i++;
    }

    this.work.push(lo, lt, stage, lt - lo, gt, hi, stage, hi - gt);
    // Names that ended within these six bytes are equal in full: they go in row order.
    if (this.ended(stage, rows[lt]!)) rows.subarray(lt, gt).sort();
    else this.work.push(lt, gt, stage + 1, 0);
  }

  private ended(stage: number, row: number): boolean {
    const { columns, starts } = this.sortKeys;
    if (stage < columns.length) return false;

    // Shorter than the digit: its end is in the digit, so equal digits are equal names. A
    // name that fills the digit exactly may still equal the start of a longer one.
    const depth = (stage - columns.length) * DIGIT_BYTES;
    return starts[row + 1]! - starts[row]! < depth + DIGIT_BYTES;
  }
}

/**
 * Orders rows in full, in one go (for a worker thread: it may hold its loop for a while).
 * A column and the username rank are packed into one double where both fit, and sorted
 * natively, several times faster than any comparator; otherwise RowSorter does it.
 */
export function sortInFull(keys: SortKeys, rows: Uint32Array): Uint32Array {
  const packed = keys.ranked === true && keys.columns.length === 2 ? packKeys(keys, rows) : null;
  if (packed === null) {
    new RowSorter(keys, rows).run();
    return rows;
  }

  packed.keys.sort();
  const rowOfRank = new Uint32Array(keys.columns[1]!.length);
  for (const row of rows) rowOfRank[keys.columns[1]![row]!] = row;
  for (let i = 0; i < rows.length; i++) rows[i] = rowOfRank[packed.keys[i]! % packed.scale]!;
  return rows;
}

/** (value - least) * scale + rank for each row, or null when that would not be exact. */
function packKeys(keys: SortKeys, rows: Uint32Array) {
  const [column, rank] = keys.columns as [ArrayLike<number>, ArrayLike<number>];
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(rank.length + 1)));
  let least = Infinity;
  let most = -Infinity;
  for (const row of rows) {
    const value = column[row]!;
    if (!Number.isInteger(value)) return null;
    least = Math.min(least, value);
    most = Math.max(most, value);
  }
  if ((most - least + 1) * scale > Number.MAX_SAFE_INTEGER) return null;

  const packed = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    packed[i] = (column[rows[i]!]! - least) * scale + rank[rows[i]!]!;
  }
  return { keys: packed, scale };
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

/** Six bytes of a row's username from `depth` as one number; shorter names sort first. */
function digitAt(bytes: Uint8Array, starts: Uint32Array, row: number, depth: number): number {
  const end = starts[row + 1]!;
  let at = starts[row]! + depth;
  let digit = 0;
  for (let k = 0; k < DIGIT_BYTES; k++, at++) {
    digit = digit * DIGIT_BASE + (at < end ? bytes[at]! + 1 : 0);
  }
  return digit;
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
  const depth = Math.max(0, stage - columns.length) * DIGIT_BYTES;
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

function swap(rows: Uint32Array, keys: Float64Array, i: number, j: number): void {
  const row = rows[i]!;
  rows[i] = rows[j]!;
  rows[j] = row;
  const key = keys[i]!;
  keys[i] = keys[j]!;
  keys[j] = key;
}
