/**
 * Shared clocks for the relative times on the page: one timer per pace, however many cells
 * show "3 min ago", and each runs only while something shows its time.
 */
import { useSyncExternalStore } from 'react';

/** "3 min ago" needs no finer pace; a running job's elapsed time ticks every second. */
const DEFAULT_TICK_MS = 5_000;

class Clock {
  now = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly tickMs: number) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.timer === undefined) {
      this.now = Date.now();
      this.timer = setInterval(() => this.tick(), this.tickMs);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  };

  readonly snapshot = (): number => this.now;

  private tick(): void {
    this.now = Date.now();
    for (const listener of this.listeners) listener();
  }
}

const clocks = new Map<number, Clock>();

function clockOf(tickMs: number): Clock {
  let clock = clocks.get(tickMs);
  if (clock === undefined) {
    clock = new Clock(tickMs);
    clocks.set(tickMs, clock);
  }
  return clock;
}

/** The current time in ms, updated every `tickMs`. */
export function useNow(tickMs = DEFAULT_TICK_MS): number {
  const clock = clockOf(tickMs);
  return useSyncExternalStore(clock.subscribe, clock.snapshot, clock.snapshot);
}
