/**
 * Scroll geometry for a list longer than a browser can draw. Chrome cannot make an element
 * taller than about 33.5M px (layout units are 1/64 px in 32 bits; Firefox stops near 17.9M),
 * and a million 32 px rows need 32M. Past a cap, the scrollbar maps onto the rows
 * proportionally instead: the rows move `factor` times as fast as the scrollbar.
 */

/** Well below every browser's limit, so the rows' body never gets clipped. */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface RowScale {
  /** The height the rows' body takes in the page, in CSS px. */
  height: number;
  /** Row px per scrolled px: 1 while the rows fit under the cap, more past it. */
  factor: number;
}

/**
 * The body's height and the scroll factor for `count` rows seen through `viewport` px. The
 * factor is over the scrollable distance, so that both ends meet: scrolled to the bottom,
 * the last row sits at the bottom.
 */
export function rowScale(count: number, rowHeight: number, viewport: number): RowScale {
  const full = count * rowHeight;
  if (full <= MAX_SCROLL_HEIGHT) return { height: full, factor: 1 };
  return {
    height: MAX_SCROLL_HEIGHT,
    factor: (full - viewport) / (MAX_SCROLL_HEIGHT - viewport),
  };
}

/**
 * How far above its unscaled place a row is drawn at a scroll position: the rows' offset is
 * `scrollTop * factor`, the box's own `scrollTop`. Whole pixels, so rows never straddle one.
 */
export function rowShift(scrollTop: number, factor: number): number {
  return Math.round(scrollTop * (factor - 1));
}
