/**
 * Counts each replicator's stale users: last successful sync longer ago than
 * STALE_AFTER_SECONDS, or never. That takes every user (`STATUS *`), so it is counted once
 * every STALE_REFRESH_MS, not at every poll; the search result it reads is shared with any
 * search for `*` at the time.
 */
import { moduleLogger } from '../log';
import type { Replicator, ReplicatorRegistry } from '../replicators';

export interface StaleCount {
  staleAfterSeconds: number;
  count: number;
  at: string;
}

const log = moduleLogger('stale-users');

export class StaleUsers {
  private readonly counts = new Map<string, StaleCount>();
  private readonly listeners = new Set<(replicatorId: string, count: StaleCount) => void>();
  /** Several instances: only the one that polls a replicator counts its stale users. */
  private counting: (replicatorId: string) => boolean = () => true;

  constructor(
    private readonly replicators: ReplicatorRegistry,
    readonly staleAfterSeconds: number,
    private readonly refreshMs: number,
  ) {}

  /** False when counting is turned off (STALE_REFRESH_MS=0). */
  get enabled(): boolean {
    return this.refreshMs > 0;
  }

  /** The last count for a replicator, if one was made. */
  get(replicatorId: string): StaleCount | undefined {
    return this.counts.get(replicatorId);
  }

  /** Counts only the replicators for which `counting` says so. */
  countOnly(counting: (replicatorId: string) => boolean): void {
    this.counting = counting;
  }

  /** Calls `listener` with every count made here. */
  onCount(listener: (replicatorId: string, count: StaleCount) => void): void {
    this.listeners.add(listener);
  }

  /** A count another instance made. */
  adopt(replicatorId: string, count: StaleCount): void {
    this.counts.set(replicatorId, count);
  }

  /**
   * Counts soon and then every refresh interval, unless that is 0 (for a replicator too
   * large to read whole every few minutes); returns the function that stops it.
   */
  start(): () => void {
    if (this.refreshMs === 0) return () => {};

    const countAll = () => {
      for (const replicator of this.replicators.all()) {
        if (this.counting(replicator.id)) void this.count(replicator);
      }
    };
    const first = setTimeout(countAll, 2_000);
    const timer = setInterval(countAll, this.refreshMs);
    timer.unref();
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }

  private async count(replicator: Replicator): Promise<void> {
    try {
      const kept = await replicator.keptUsers.get('*', this.refreshMs / 2);
      const now = new Date();
      const count = kept.users.count(
        { staleSeconds: this.staleAfterSeconds }, Math.floor(now.getTime() / 1000),
      );
      const counted = { staleAfterSeconds: this.staleAfterSeconds, count, at: now.toISOString() };
      this.counts.set(replicator.id, counted);
      for (const listener of this.listeners) listener(replicator.id, counted);
    } catch (error) {
      log.debug({ replicator: replicator.id, err: error }, 'stale users not counted');
    }
  }
}
