/**
 * Sorting a million usernames held as bytes in one arena, without making a string of any:
 * a three-way radix quicksort (Bentley and Sedgewick) that looks at one byte position at a
 * time, with insertion sort for small ranges. Byte order is UTF-8 order, which is code point
 * order, and it is the order in which Dovecot itself compares usernames.
 */

/** Ranges this small are finished by insertion sort. */
const SMALL = 12;

/**
 * Rows 0..count-1 ordered by their keys, key i being bytes[starts[i], starts[i + 1]);
 * rows with equal keys come in row order.
 */
export function sortByBytes(bytes: Uint8Array, starts: Uint32Array, count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;

  // Work items are (lo, hi, depth): rows[lo, hi) share their first `depth` bytes.
  const work: number[] = [0, count, 0];
  while (work.length > 0) {
    const depth = work.pop()!;
    const hi = work.pop()!;
    const lo = work.pop()!;
    if (hi - lo <= SMALL) {
      insertionSort(bytes, starts, rows, lo, hi, depth);
      continue;
    }
    partition(bytes, starts, rows, lo, hi, depth, work);
  }
  return rows;
}

/** The byte of a row's key at a depth, or -1 past its end (shorter keys sort first). */
function byteAt(bytes: Uint8Array, starts: Uint32Array, row: number, depth: number): number {
  const at = starts[row]! + depth;
  return at < starts[row + 1]! ? bytes[at]! : -1;
}

/** Splits rows[lo, hi) by the byte at `depth` into less, equal and greater ranges. */
function partition(
  bytes: Uint8Array,
  starts: Uint32Array,
  rows: Uint32Array,
  lo: number,
  hi: number,
  depth: number,
  work: number[],
): void {
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

  work.push(lo, lt, depth, gt, hi, depth);
  // Keys that ended at this depth are equal in full: they go in row order.
  if (pivot < 0) rows.subarray(lt, gt).sort();
  else work.push(lt, gt, depth + 1);
}

function insertionSort(
  bytes: Uint8Array,
  starts: Uint32Array,
  rows: Uint32Array,
  lo: number,
  hi: number,
  depth: number,
): void {
  for (let i = lo + 1; i < hi; i++) {
    const row = rows[i]!;
    let j = i - 1;
    while (j >= lo && (compareFrom(bytes, starts, rows[j]!, row, depth) || rows[j]! - row) > 0) {
      rows[j + 1] = rows[j]!;
      j--;
    }
    rows[j + 1] = row;
  }
}

function compareFrom(
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
