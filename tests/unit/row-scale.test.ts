import { describe, expect, it } from 'vitest';

import { MAX_SCROLL_HEIGHT, rowScale, rowShift } from '@/lib/row-scale';

const ROW = 32;
const VIEWPORT = 640;

/** Where row `index` is drawn in the body when the box is scrolled to `scrollTop`. */
function drawnAt(index: number, count: number, scrollTop: number): number {
  const { factor } = rowScale(count, ROW, VIEWPORT);
  return index * ROW - rowShift(scrollTop, factor);
}

describe('rowScale', () => {
  it('leaves a list that fits alone', () => {
    expect(rowScale(200, ROW, VIEWPORT)).toEqual({ height: 6400, factor: 1 });
    expect(rowShift(5000, 1)).toBe(0);
  });

  it('caps a million rows below what a browser can draw', () => {
    const { height, factor } = rowScale(1_000_000, ROW, VIEWPORT);
    expect(height).toBe(MAX_SCROLL_HEIGHT);
    expect(factor).toBeGreaterThan(2);
  });

  it('shows the first row at the top and the last row at the bottom', () => {
    const count = 1_000_000;
    const bottom = MAX_SCROLL_HEIGHT - VIEWPORT;

    expect(drawnAt(0, count, 0)).toBe(0);
    // Scrolled to the end, the last row ends where the body ends, within rounding.
    expect(drawnAt(count - 1, count, bottom) + ROW).toBeCloseTo(MAX_SCROLL_HEIGHT, 0);
  });

  it('keeps the rows on screen at their own pitch wherever the box is', () => {
    const count = 1_000_000;
    const { factor } = rowScale(count, ROW, VIEWPORT);
    for (const scrollTop of [1, 12_345, 7_500_000, MAX_SCROLL_HEIGHT - VIEWPORT]) {
      const first = Math.floor((scrollTop * factor) / ROW);
      const top = drawnAt(first, count, scrollTop);
      expect(top).toBeLessThanOrEqual(scrollTop);
      expect(top).toBeGreaterThan(scrollTop - ROW - 1);
      expect(drawnAt(first + 1, count, scrollTop) - top).toBe(ROW);
    }
  });
});
