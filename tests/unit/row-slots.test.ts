import { describe, expect, it } from 'vitest';

import { assignSlots, inSlotOrder } from '@/lib/row-slots';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('assignSlots', () => {
  it('numbers the first rows from 0', () => {
    expect([...assignSlots(new Map(), [5, 6, 7]).values()]).toEqual([0, 1, 2]);
  });

  it('keeps the slots of rows still drawn and hands freed ones to new rows', () => {
    const first = assignSlots(new Map(), range(0, 9));
    const next = assignSlots(first, range(3, 12));

    for (const index of range(3, 9)) expect(next.get(index)).toBe(first.get(index));
    const reused = range(10, 12).map((index) => next.get(index));
    expect(reused.sort()).toEqual([0, 1, 2]);
  });

  it('reuses every slot after a jump, and never gives one slot twice', () => {
    const first = assignSlots(new Map(), range(0, 29));
    const jumped = assignSlots(first, range(500_000, 500_037));

    const slots = [...jumped.values()];
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.filter((slot) => slot < 30)).toHaveLength(30);
  });

  it('keeps every element in its place among its siblings as the rows move on', () => {
    const first = assignSlots(new Map(), range(0, 9));
    const next = assignSlots(first, range(4, 13));
    const drawn = (slots: Map<number, number>, indices: number[]) =>
      inSlotOrder(indices.map((index) => ({ index })), slots).map((r) => slots.get(r.index));

    expect(drawn(first, range(0, 9))).toEqual(range(0, 9));
    expect(drawn(next, range(4, 13))).toEqual(range(0, 9));
    expect(inSlotOrder(range(4, 13).map((index) => ({ index })), next).map((r) => r.index))
      .toEqual([13, 12, 11, 10, 4, 5, 6, 7, 8, 9]);
  });
});
