import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sortByBytes } from '@/server/live/byte-sort';

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
