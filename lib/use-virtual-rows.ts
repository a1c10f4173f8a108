/**
 * Virtual scrolling of fixed-height rows under a sticky header, for lists of any length: only
 * the rows on screen, and a few either side, are drawn. Past MAX_SCROLL_HEIGHT the
 * virtualizer is given the scroll offset multiplied by rowScale's factor, and the drawn rows
 * are lifted by the difference (rowShift), so they stay where the virtualizer thinks they are.
 *
 * The drawn rows sit in a window placed in the body as a whole: a scroll past the cap moves
 * that one element rather than restyling every drawn row on every frame.
 */
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  useVirtualizer,
  type Virtualizer,
} from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

import { rowScale, rowShift } from './row-scale';

/** Rows drawn beyond each edge of the box, so a short scroll never shows a gap. */
const OVERSCAN = 4;

/**
 * The window starts at a multiple of this many rows: it moves on most scrolls, while the
 * rows within it keep their place (and their style) until it jumps to the next multiple.
 */
const WINDOW_STEP = 1000;

export interface VirtualRow {
  index: number;
  /** Within the window, in CSS px. */
  top: number;
}

export interface VirtualRows {
  /** For the scrolling box, whose first child is the sticky header. */
  scrollRef: RefObject<HTMLDivElement | null>;
  rows: VirtualRow[];
  /** Where the window of rows is within the body, in CSS px. */
  windowTop: number;
  /** The rows' body, in CSS px. */
  height: number;
  /** The first and the last row on screen, counted from 0; null until laid out. */
  visible: { first: number; last: number } | null;
  /** From the first scroll event until the box has been still for a moment. */
  isScrolling: boolean;
}

type Instance = Virtualizer<HTMLDivElement, Element>;

export function useVirtualRows(
  count: number,
  rowHeight: number,
  headerHeight: number,
): VirtualRows {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [shift, setShift] = useState(0);
  const factorOf = (instance: Instance) =>
    rowScale(instance.options.count, rowHeight, instance.scrollRect?.height ?? 0).factor;

  const virtualizer = useVirtualizer({
    count,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
    getScrollElement: () => scrollRef.current,
    // The sticky header covers the top of the box: rows are seen below it only.
    observeElementRect: (instance, onRect) =>
      observeElementRect(instance, ({ width, height }) =>
        onRect({ width, height: Math.max(0, height - headerHeight) })),
    observeElementOffset: (instance, onOffset) =>
      observeElementOffset(instance, (offset, isScrolling) => {
        const factor = factorOf(instance);
        // In the same frame as the scroll, or the rows would lag behind the scrollbar; and
        // in one render with the virtualizer's own, which it makes synchronously inside.
        flushSync(() => {
          setShift(rowShift(offset, factor));
          onOffset(offset * factor, isScrolling);
        });
      }),
    scrollToFn: (offset, { adjustments = 0, behavior }, instance) => {
      const factor = factorOf(instance);
      elementScroll(offset / factor, { adjustments: adjustments / factor, behavior }, instance);
    },
  });

  const { height, factor } = rowScale(count, rowHeight, virtualizer.scrollRect?.height ?? 0);
  useRereadOnRescale(scrollRef, factor);
  const items = virtualizer.getVirtualItems();
  const base = Math.floor((items[0]?.index ?? 0) / WINDOW_STEP) * WINDOW_STEP * rowHeight;
  const range = virtualizer.range;
  return {
    scrollRef,
    rows: items.map(({ index, start }) => ({ index, top: start - base })),
    windowTop: base - shift,
    height,
    visible: range && { first: range.startIndex, last: range.endIndex },
    isScrolling: virtualizer.isScrolling,
  };
}

/**
 * A new factor (the count or the box's height changed) leaves the virtualizer with an offset
 * scaled by the old one: have it read the position again. From a frame of its own, because
 * the reading renders synchronously, which React refuses inside an effect.
 */
function useRereadOnRescale(scrollRef: RefObject<HTMLDivElement | null>, factor: number) {
  useEffect(() => {
    const reread = () => scrollRef.current?.dispatchEvent(new Event('scroll'));
    const frame = requestAnimationFrame(reread);
    return () => cancelAnimationFrame(frame);
  }, [scrollRef, factor]);
}
