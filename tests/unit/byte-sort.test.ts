import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { RowSorter, identity, sortByBytes, sortInFull } from '@/server/live/byte-sort';

/** An arena and its start offsets, as UserTable keeps usernames. */
function arenaOf(keys: Uint8Array[]): { bytes: Buffer; starts: Uint32Array } {
  const starts = new Uint32Array(keys.length + 1);
  keys.forEach((key, i) => (starts[i + 1] = starts[i]! + key.length));
  return { bytes: Buffer.concat(keys), starts };
}

describe('sortByBytes', () => {
  it('orders any byte strings as Buffer.compare does, equal keys in row order', () => {
    const key = fc.uint8Array({ maxLength: 6, max: 3 });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), (keys) => {
        const { bytes, starts } = arenaOf(keys);

        const rows = Array.from(sortByBytes(bytes, starts, keys.length));

        const want = keys
          .map((k, i) => ({ k: Buffer.from(k), i }))
          .sort((a, b) => Buffer.compare(a.k, b.k) || a.i - b.i)
          .map(({ i }) => i);
        expect(rows).toEqual(want);
      }),
    );
  });

  it('orders a key of exactly six bytes before its extensions (regression)', () => {
    // More than insertion sort takes, all with the same first six bytes, a short one first.
    const names = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'abcdef' : 'abcdefg'));
    const { bytes, starts } = arenaOf(names.map((s) => Buffer.from(s)));

    const rows = sortByBytes(bytes, starts, names.length);

    const even = Array.from({ length: 10 }, (_, i) => 2 * i);
    expect(Array.from(rows)).toEqual([...even, ...even.map((row) => row + 1)]);
  });

  it('puts a key before its own extensions', () => {
    const { bytes, starts } = arenaOf(['ab', 'a', 'abc', ''].map((s) => Buffer.from(s)));

    expect(Array.from(sortByBytes(bytes, starts, 4))).toEqual([3, 1, 0, 2]);
  });

  it('orders UTF-8 usernames by code point', () => {
    const names = ['zoe@example.com', 'jürgen@example.net', 'juergen@example.net', 'Ärger@x'];
    const { bytes, starts } = arenaOf(names.map((s) => Buffer.from(s)));

    const rows = sortByBytes(bytes, starts, names.length);

    expect(Array.from(rows, (row) => names[row])).toEqual([
      'juergen@example.net', 'jürgen@example.net', 'zoe@example.com', 'Ärger@x',
    ]);
  });
});

/** The full order by (column values in turn, key bytes, row), the plain way. */
function plainOrder(keys: Uint8Array[], columns: number[][]): number[] {
  return keys
    .map((key, row) => ({ key: Buffer.from(key), row }))
    .sort((a, b) => {
      for (const column of columns) {
        const difference = column[a.row]! - column[b.row]!;
        if (difference !== 0) return difference;
      }
      return Buffer.compare(a.key, b.key) || a.row - b.row;
    })
    .map(({ row }) => row);
}

/** Keys from few bytes, high ones included (UTF-8 lead and continuation bytes), many ties. */
const tieKey = fc.uint8Array({ maxLength: 13 }).map((key) => key.map((byte) => [
  0x00, 0x41, 0x61, 0x7f, 0x80, 0xc3, 0xe2, 0xff,
][byte % 8]!));

const sortInput = fc.array(tieKey, { maxLength: 300, size: 'max' }).chain((keys) => fc.record({
  keys: fc.constant(keys),
  columns: fc.array(fc.array(fc.integer({ min: -2, max: 2 }), {
    minLength: keys.length, maxLength: keys.length,
  }), { maxLength: 2 }),
  from: fc.nat({ max: keys.length }),
  size: fc.nat({ max: 40 }),
}));

describe('RowSorter', () => {
  it('puts in the window exactly what a full sort puts there', () => {
    fc.assert(
      fc.property(sortInput, ({ keys, columns, from, size }) => {
        const { bytes, starts } = arenaOf(keys);
        const to = Math.min(keys.length, from + size);

        const sorter = new RowSorter({ bytes, starts, columns }, identity(keys.length), from, to);
        sorter.run();

        const want = plainOrder(keys, columns).slice(from, to);
        expect(Array.from(sorter.rows.subarray(from, to))).toEqual(want);
        expect(sorter.done).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no row before the window that belongs after it, nor the other way', () => {
    fc.assert(
      fc.property(sortInput, ({ keys, columns, from, size }) => {
        const { bytes, starts } = arenaOf(keys);
        const to = Math.min(keys.length, from + size);
        // An empty window asks for nothing, so nothing is promised.
        fc.pre(from < to);
        const position = new Map(plainOrder(keys, columns).map((row, at) => [row, at]));

        const sorter = new RowSorter({ bytes, starts, columns }, identity(keys.length), from, to);
        sorter.run();

        const at = (i: number) => position.get(sorter.rows[i]!)!;
        for (let i = 0; i < from; i++) expect(at(i)).toBeLessThan(from);
        for (let i = to; i < keys.length; i++) expect(at(i)).toBeGreaterThanOrEqual(to);
      }),
    );
  });

  it('sorts in full across many short runs', () => {
    fc.assert(
      fc.property(sortInput, ({ keys, columns }) => {
        const { bytes, starts } = arenaOf(keys);
        const sorter = new RowSorter({ bytes, starts, columns }, identity(keys.length));

        while (!sorter.run(-Infinity));

        expect(Array.from(sorter.rows)).toEqual(plainOrder(keys, columns));
      }),
    );
  });

  it('stops when its time is up and goes on from there', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => Buffer.from(`u${(i * 7919) % 5000}`));
    const { bytes, starts } = arenaOf(keys);
    const sorter = new RowSorter({ bytes, starts, columns: [] }, identity(keys.length));

    expect(sorter.run(-Infinity)).toBe(false);
    expect(sorter.done).toBe(false);
    expect(sorter.run()).toBe(true);

    expect(Array.from(sorter.rows)).toEqual(plainOrder(keys, []));
  });
});

describe('sortInFull', () => {
  it('orders by a column and the username rank as the plain sort does, packed or not', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(2 ** 40),
      fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(tieKey, { maxLength: 300, size: 'max' }).chain((keys) => fc.record({
        keys: fc.constant(keys),
        column: fc.array(value, { minLength: keys.length, maxLength: keys.length }),
        subset: fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
      })), ({ keys, column, subset }) => {
        const { bytes, starts } = arenaOf(keys);
        const rank = new Uint32Array(keys.length);
        plainOrder(keys, []).forEach((row, at) => (rank[row] = at));
        const rows = Uint32Array.from(identity(keys.length).filter((row) => subset[row]));

        const sorted = sortInFull({ bytes, starts, columns: [column, rank], ranked: true }, rows);

        const want = plainOrder(keys, [column]).filter((row) => subset[row]);
        expect(Array.from(sorted)).toEqual(want);
      }),
    );
  });
});
