/**
 * The live state relay between instances. The instance that polls a replicator publishes
 * what its hub saw (the state, the overview and dsyncs after every poll, watched masks'
 * rows, the stale count) on one Redis channel and keeps the latest snapshot in a key; every
 * other instance feeds its own hub from that, so its REST routes and its browsers see the
 * same live data without asking the replicator. Browsers' watched masks go the other way,
 * through a sorted set per replicator that the poller reads.
 */
import type { Redis } from 'ioredis';

import type { Logger } from '../log';
import type { HubSnapshot, WatchedUsers } from '../live/hub';
import type { StaleCount, StaleUsers } from '../live/stale-users';
import type { Replicator, ReplicatorRegistry } from '../replicators';
import type { Leadership } from './leadership';

const PREFIX = 'replicator-dashboard:';
export const LIVE_CHANNEL = `${PREFIX}live`;
const snapshotKey = (id: string) => `${PREFIX}snapshot:${id}`;
const watchesKey = (id: string) => `${PREFIX}watches:${id}`;
const staleKey = (id: string) => `${PREFIX}stale:${id}`;
/** Kept this long: an instance that starts has something to show before the next poll. */
const SNAPSHOT_KEPT_MS = 60_000;
/** Stale users are counted once every STALE_REFRESH_MS (a minute by default), so longer. */
const STALE_KEPT_MS = 24 * 60 * 60 * 1000;

type Message =
  | { kind: 'snapshot'; replicator: string; from: string; data: HubSnapshot }
  | { kind: 'users'; replicator: string; from: string; data: WatchedUsers }
  | { kind: 'stale'; replicator: string; from: string; data: StaleCount }
  | { kind: 'poll-wanted'; replicator: string; from: string };

export interface RelayDeps {
  /** Commands, publishing, keys. */
  redis: Redis;
  /** A connection of its own: one that subscribes can do nothing else. */
  subscriber: Redis;
  replicators: ReplicatorRegistry;
  leadership: Leadership;
  staleUsers: StaleUsers;
  owner: string;
  pollIntervalMs: number;
  log: Logger;
}

export class LiveRelay {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RelayDeps) {}

  /** Publishes what this instance polls, and follows what the others poll. */
  async start(): Promise<void> {
    for (const replicator of this.deps.replicators.all()) this.publishFrom(replicator);
    this.deps.staleUsers.onCount((id, count) => this.publishStale(id, count));

    this.deps.subscriber.on('message', (_channel, text: string) => this.receive(text));
    await this.deps.subscriber.subscribe(LIVE_CHANNEL);
    await this.loadSnapshots();

    this.timer = setInterval(() => void this.shareWatches(), this.deps.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private publishFrom(replicator: Replicator): void {
    const { id, hub } = replicator;
    const snapshot = () => {
      if (!this.deps.leadership.holds(id)) return;
      const data = hub.snapshot();
      this.publish({ kind: 'snapshot', replicator: id, from: this.deps.owner, data }, id);
      this.keep(id, snapshotKey(id), data, SNAPSHOT_KEPT_MS);
    };
    hub.on('polled', snapshot);
    hub.on('state', snapshot);
    hub.on('users', (data) => {
      if (this.deps.leadership.holds(id)) {
        this.publish({ kind: 'users', replicator: id, from: this.deps.owner, data }, id);
      }
    });
    hub.on('pollWanted', () => {
      if (!this.deps.leadership.holds(id)) {
        this.publish({ kind: 'poll-wanted', replicator: id, from: this.deps.owner }, id);
      }
    });
  }

  private publishStale(id: string, count: StaleCount): void {
    this.publish({ kind: 'stale', replicator: id, from: this.deps.owner, data: count }, id);
    this.keep(id, staleKey(id), count, STALE_KEPT_MS);
  }

  private keep(id: string, key: string, data: unknown, ms: number): void {
    this.deps.redis.set(key, JSON.stringify(data), 'PX', ms)
      .catch((error: unknown) => this.warn(id, error, 'live state not kept'));
  }

  private publish(message: Message, id: string): void {
    this.deps.redis.publish(LIVE_CHANNEL, JSON.stringify(message))
      .catch((error: unknown) => this.warn(id, error, 'live state not published'));
  }

  private receive(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch (error) {
      this.deps.log.warn({ err: error }, 'unreadable live state message');
      return;
    }
    if (message.from === this.deps.owner) return;

    const replicator = this.deps.replicators.get(message.replicator);
    if (replicator === undefined) return;
    const polling = this.deps.leadership.holds(replicator.id);
    if (message.kind === 'poll-wanted') {
      if (polling) this.pollFor(replicator);
      return;
    }
    if (polling) return;
    if (message.kind === 'snapshot') replicator.hub.follow(message.data);
    if (message.kind === 'users') replicator.hub.followUsers(message.data);
    if (message.kind === 'stale') this.deps.staleUsers.adopt(replicator.id, message.data);
  }

  /**
   * Another instance had an action done or a mask newly watched: poll now, and send the
   * rows already known, which the poll sends again only when they change.
   */
  private pollFor(replicator: Replicator): void {
    replicator.hub.pollNow();
    for (const data of replicator.hub.allWatchedUsers) {
      this.publish({ kind: 'users', replicator: replicator.id, from: this.deps.owner, data },
        replicator.id);
    }
  }

  private async loadSnapshots(): Promise<void> {
    for (const { id, hub } of this.deps.replicators.all()) {
      const [snapshot, stale] = await this.deps.redis.mget(snapshotKey(id), staleKey(id));
      if (this.deps.leadership.holds(id)) continue;
      if (snapshot != null) hub.follow(JSON.parse(snapshot) as HubSnapshot);
      if (stale != null) this.deps.staleUsers.adopt(id, JSON.parse(stale) as StaleCount);
    }
  }

  /**
   * Each instance lists the masks its browsers watch, each entry good for three intervals;
   * the poller of the replicator reads every instance's entries and polls those masks too.
   */
  private async shareWatches(): Promise<void> {
    const now = Date.now();
    for (const { id, hub } of this.deps.replicators.all()) {
      try {
        const key = watchesKey(id);
        const until = now + 3 * this.deps.pollIntervalMs;
        const entries = hub.watchedMasks.flatMap((mask) => [until, mask]);
        if (entries.length > 0) await this.deps.redis.zadd(key, ...entries);
        if (!this.deps.leadership.holds(id)) continue;

        await this.deps.redis.zremrangebyscore(key, '-inf', now);
        hub.setRemoteWatches(new Set(await this.deps.redis.zrange(key, 0, -1)));
      } catch (error) {
        this.warn(id, error, 'watched masks not shared');
      }
    }
  }

  private warn(replicator: string, error: unknown, message: string): void {
    this.deps.log.warn({ replicator, err: error }, message);
  }
}
