/**
 * Which replicators this instance polls. Alone, it polls them all; with Redis, it polls those
 * whose lease it holds. A holder renews its leases several times per lease; an instance
 * without one tries to take it as often, so a dead holder is replaced within one lease
 * period and one try. A holder stops polling as soon as it cannot be sure the lease is still
 * its own (a renewal refused, or none confirmed for too long): two pollers never overlap.
 */
import { EventEmitter } from 'node:events';

import type { Redis } from 'ioredis';

import type { Logger } from '../log';
import { Lease } from './lease';

export interface LeadershipEvents {
  gained: [string];
  lost: [string];
}

export interface Leadership extends EventEmitter<LeadershipEvents> {
  /** Whether this instance polls the replicator now. */
  holds(replicatorId: string): boolean;
  start(): void;
  /** Stops; gives back what it holds so another instance takes over at once. */
  stop(): Promise<void>;
}

/** One instance: it polls every replicator. */
export class SoloLeadership extends EventEmitter<LeadershipEvents> implements Leadership {
  private started = false;

  constructor(private readonly ids: readonly string[]) {
    super();
  }

  holds(): boolean {
    return this.started;
  }

  start(): void {
    this.started = true;
    for (const id of this.ids) this.emit('gained', id);
  }

  async stop(): Promise<void> {
    this.started = false;
  }
}

interface Held {
  lease: Lease;
  /**
   * Fires when this instance can no longer be sure the lease is its own: the time of the
   * last confirmed renewal's sending plus the lease, which Redis counts from later on.
   */
  expiry: NodeJS.Timeout | undefined;
  busy: boolean;
}

export const LEASE_PREFIX = 'replicator-dashboard:lease:';

/** Leases in Redis, one per replicator. */
export class RedisLeadership extends EventEmitter<LeadershipEvents> implements Leadership {
  private readonly leases = new Map<string, Held>();
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    redis: Redis,
    ids: readonly string[],
    readonly owner: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    super();
    for (const id of ids) {
      const lease = new Lease(redis, `${LEASE_PREFIX}${id}`, owner, ttlMs);
      this.leases.set(id, { lease, expiry: undefined, busy: false });
    }
  }

  holds(replicatorId: string): boolean {
    return this.held.has(replicatorId);
  }

  start(): void {
    this.tick();
    // Five tries per lease: a renewal may fail once or twice before the lease runs out.
    this.timer = setInterval(() => this.tick(), Math.max(50, Math.floor(this.ttlMs / 5)));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const releases = [...this.held].map((id) => this.leases.get(id)!.lease.release());
    for (const id of [...this.held]) this.drop(id, 'stopping');
    await Promise.allSettled(releases);
  }

  private tick(): void {
    for (const [id, entry] of this.leases) {
      if (!entry.busy) void this.step(id, entry);
    }
  }

  private async step(id: string, entry: Held): Promise<void> {
    entry.busy = true;
    const sentAt = Date.now();
    try {
      const ours = this.held.has(id) ? await entry.lease.renew() : await entry.lease.acquire();
      if (ours) this.expireAt(id, entry, sentAt + this.ttlMs);
      if (ours && !this.held.has(id)) this.take(id);
      if (!ours && this.held.has(id)) this.drop(id, 'taken by another instance');
    } catch (error) {
      this.log.warn({ replicator: id, err: error }, 'lease not renewed or taken');
    } finally {
      entry.busy = false;
    }
  }

  /** Not renewed by then, another instance may hold the lease: stop polling at that moment. */
  private expireAt(id: string, entry: Held, time: number): void {
    clearTimeout(entry.expiry);
    entry.expiry = setTimeout(() => this.drop(id, 'not renewed in time'), time - Date.now());
  }

  private take(id: string): void {
    this.held.add(id);
    this.log.info({ replicator: id, owner: this.owner }, 'polling: lease taken');
    this.emit('gained', id);
  }

  private drop(id: string, reason: string): void {
    clearTimeout(this.leases.get(id)?.expiry);
    if (!this.held.delete(id)) return;
    this.log.info({ replicator: id, owner: this.owner, reason }, 'not polling: lease lost');
    this.emit('lost', id);
  }
}
