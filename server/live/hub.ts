/**
 * The live hub of one replicator: it polls the queue overview and the dsyncs once per
 * interval for every browser together, polls the user masks that somebody watches, and
 * emits only what changed. While the replicator is unreachable it keeps trying, with a
 * short backoff so that its return is noticed within a couple of seconds.
 */
import { EventEmitter } from 'node:events';

import type {
  Dsync,
  Overview,
  ReplicatorProblem,
  ReplicatorState,
  ReplicatorUser,
} from '@/lib/api-types';

import type { Logger } from '../log';
import type { ReplicatorTransport } from '../replicator/transport';
import { toApiDsync, toApiOverview, toApiUser } from '../shapes';
import { pageUsers } from '../users-page';
import type { KeptUserResults } from './kept-users';
import type { UserTable } from './user-table';

/** A watched mask sends at most this many rows; the API pages through the rest. */
export const WATCH_ROW_LIMIT = 1000;
/**
 * Distinct masks this instance's browsers may watch on one replicator. Each is read every
 * poll; a browser watches the one its users page shows, so only a script comes near this.
 */
export const MAX_WATCHED_MASKS = 100;

const FIRST_ROWS = {
  offset: 0,
  limit: WATCH_ROW_LIMIT,
  sort: 'username',
  order: 'asc',
  filter: {},
} as const;

export interface WatchedUsers {
  mask: string;
  users: ReplicatorUser[];
  total: number;
  at: string;
}

/** One successful poll of the queue, whether or not anything changed. */
export interface QueuePoll {
  overview: Overview;
  dsyncs: Dsync[];
  durationMs: number;
}

/** What a hub knows of its replicator: relayed to instances that do not poll it. */
export interface HubSnapshot {
  state: ReplicatorState;
  overview: Overview | undefined;
  dsyncs: { dsyncs: Dsync[]; at: string } | undefined;
  pollMs: number | undefined;
}

export interface HubEvents {
  state: [ReplicatorState];
  polled: [QueuePoll];
  overview: [Overview];
  dsyncs: [{ dsyncs: Dsync[]; at: string }];
  users: [WatchedUsers];
  /** pollNow() on a hub that does not poll: the instance that does should poll now. */
  pollWanted: [];
}

export interface HubOptions {
  id: string;
  /** A connection of the hub's own, with a short timeout, so a busy search cannot stall it. */
  pollClient: ReplicatorTransport;
  keptUsers: KeptUserResults;
  pollIntervalMs: number;
  logger: Logger;
}

const FIRST_RETRY_MS = 250;
/** Retries while down stay this frequent at most, so a return is seen within two seconds. */
const LONGEST_RETRY_MS = 1500;
const MISDIRECTED_RETRY_MS = 15_000;
/**
 * Something else at the address is often passing (a restart, a swapped socket): retry at
 * the usual pace for about a minute, so its end is seen within two seconds, then slowly.
 */
const MISDIRECTED_FAST_RETRIES = 40;

export class ReplicatorHub extends EventEmitter<HubEvents> {
  readonly id: string;
  private readonly pollClient: ReplicatorTransport;
  private readonly keptUsers: KeptUserResults;
  private readonly intervalMs: number;
  private readonly log: Logger;

  private current: ReplicatorState;
  private lastOverview: Overview | undefined;
  private lastDsyncs: { dsyncs: Dsync[]; at: string } | undefined;
  private readonly watchers = new Map<string, number>();
  /** Masks watched by browsers of other instances, when this hub polls for them all. */
  private remoteWatches = new Set<string>();
  private readonly lastUsersSeen = new Map<string, string>();
  private readonly lastUsers = new Map<string, WatchedUsers>();

  private lastPollMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failures = 0;
  private running = false;

  constructor(options: HubOptions) {
    super();
    this.id = options.id;
    this.pollClient = options.pollClient;
    this.keptUsers = options.keptUsers;
    this.intervalMs = options.pollIntervalMs;
    this.log = options.logger;
    this.current = { id: this.id, connected: false, error: null };
  }

  get state(): ReplicatorState {
    return this.current;
  }

  get overview(): Overview | undefined {
    return this.lastOverview;
  }

  get dsyncs(): { dsyncs: Dsync[]; at: string } | undefined {
    return this.lastDsyncs;
  }

  /** How long the last successful poll of the overview and the dsyncs took. */
  get lastPollDurationMs(): number | undefined {
    return this.lastPollMs;
  }

  /** The last rows sent for a watched mask, for a browser that starts watching it. */
  watchedUsers(mask: string): WatchedUsers | undefined {
    return this.lastUsers.get(mask);
  }

  /** Polls these masks too: browsers of other instances watch them. */
  setRemoteWatches(masks: ReadonlySet<string>): void {
    const added = [...masks].some((mask) => !this.isWatched(mask));
    for (const mask of this.remoteWatches) {
      if (!masks.has(mask) && !this.watchers.has(mask)) this.forgetRows(mask);
    }
    this.remoteWatches = new Set(masks);
    if (added) this.pollNow();
  }

  /** The last rows of every watched mask, for an instance whose browser starts watching. */
  get allWatchedUsers(): WatchedUsers[] {
    return [...this.lastUsers.values()];
  }

  /** The masks browsers of this instance watch. */
  get watchedMasks(): string[] {
    return [...this.watchers.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A poll still running from before a stop schedules the next one itself.
    if (this.polling === undefined) this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.pollClient.close();
  }

  snapshot(): HubSnapshot {
    return {
      state: this.current,
      overview: this.lastOverview,
      dsyncs: this.lastDsyncs,
      pollMs: this.lastPollMs,
    };
  }

  /**
   * Takes what another instance's hub polled, while this one does not poll (several
   * instances, one poller each): browsers here get the same events as there.
   */
  follow(snapshot: HubSnapshot): void {
    if (this.running) return;
    if (JSON.stringify(snapshot.state) !== JSON.stringify(this.current)) {
      this.setState(snapshot.state);
    }
    if (snapshot.overview !== undefined) this.offerOverview(snapshot.overview);
    if (snapshot.dsyncs !== undefined) this.offerDsyncs(snapshot.dsyncs);
    this.lastPollMs = snapshot.pollMs;
  }

  /** Takes a watched mask's rows from another instance's hub, if the mask is watched here. */
  followUsers(users: WatchedUsers): void {
    if (this.running || !this.watchers.has(users.mask)) return;
    this.lastUsers.set(users.mask, users);
    this.emit('users', users);
  }

  /** Polls at once, e.g. after an action, so that browsers see its effect without waiting. */
  pollNow(): void {
    if (!this.running) {
      this.emit('pollWanted');
      return;
    }
    if (this.polling !== undefined) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Whether one more browser may watch this mask (see MAX_WATCHED_MASKS). */
  canWatch(mask: string): boolean {
    return this.watchers.has(mask) || this.watchers.size < MAX_WATCHED_MASKS;
  }

  /** Starts (or counts another) watch of a mask; polled each interval while watched. */
  watch(mask: string): void {
    this.watchers.set(mask, (this.watchers.get(mask) ?? 0) + 1);
    if (this.watchers.get(mask) === 1) this.pollNow();
  }

  unwatch(mask: string): void {
    const count = (this.watchers.get(mask) ?? 0) - 1;
    if (count > 0) {
      this.watchers.set(mask, count);
      return;
    }
    this.watchers.delete(mask);
    if (!this.remoteWatches.has(mask)) this.forgetRows(mask);
  }

  private isWatched(mask: string): boolean {
    return this.watchers.has(mask) || this.remoteWatches.has(mask);
  }

  private forgetRows(mask: string): void {
    this.lastUsersSeen.delete(mask);
    this.lastUsers.delete(mask);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
      });
    }, delayMs);
  }

  private async poll(): Promise<void> {
    try {
      await this.pollQueue();
      await this.pollWatchedMasks();
      this.markReachable();
      this.failures = 0;
    } catch (error) {
      this.failures++;
      // A poll cut short by stop() (another instance polls now) says nothing of the replicator.
      if (this.running) this.markUnreachable(error);
    }

    this.keptUsers.sweep(new Set([...this.watchers.keys(), ...this.remoteWatches]));
    if (this.running) this.schedule(this.nextDelay());
  }

  private nextDelay(): number {
    if (this.failures === 0) return this.intervalMs;
    // A wrong address will not mend itself soon; don't fill the peer's log every second.
    const misdirected = this.current.error?.code === 'not_a_replicator';
    if (misdirected && this.failures > MISDIRECTED_FAST_RETRIES) return MISDIRECTED_RETRY_MS;

    const backoff = FIRST_RETRY_MS * 2 ** (this.failures - 1);
    return Math.min(backoff, LONGEST_RETRY_MS, Math.max(this.intervalMs, FIRST_RETRY_MS));
  }

  private async pollQueue(): Promise<void> {
    const started = performance.now();
    const counters = await this.pollClient.status();
    const slots = await this.pollClient.dsyncStatus();
    const at = new Date();
    this.lastPollMs = performance.now() - started;

    const overview = toApiOverview(counters, at);
    const dsyncs = slots.map(toApiDsync);
    this.offerOverview(overview);
    this.offerDsyncs({ dsyncs, at: at.toISOString() });
    this.emit('polled', { overview, dsyncs, durationMs: this.lastPollMs });
  }

  private offerOverview(overview: Overview): void {
    const changed = !sameExceptTime(this.lastOverview, overview);
    this.lastOverview = overview;
    if (changed) this.emit('overview', overview);
  }

  private offerDsyncs(dsyncs: { dsyncs: Dsync[]; at: string }): void {
    const changed = !sameExceptTime(this.lastDsyncs, dsyncs);
    this.lastDsyncs = dsyncs;
    if (changed) this.emit('dsyncs', dsyncs);
  }

  private async pollWatchedMasks(): Promise<void> {
    for (const mask of new Set([...this.watchers.keys(), ...this.remoteWatches])) {
      const kept = await this.keptUsers.getWatched(mask);
      if (!this.isWatched(mask)) continue;
      this.offerUsers(mask, kept.users, kept.at);
    }
  }

  private offerUsers(mask: string, table: UserTable, at: Date): void {
    const page = pageUsers(table, FIRST_ROWS, at);
    const watched = { mask, users: page.users.map(toApiUser), total: page.total };

    const seen = JSON.stringify(watched);
    if (this.lastUsersSeen.get(mask) === seen) return;

    this.lastUsersSeen.set(mask, seen);
    const event = { ...watched, at: at.toISOString() };
    this.lastUsers.set(mask, event);
    this.emit('users', event);
  }

  private markReachable(): void {
    if (this.current.connected) return;
    this.setState({ id: this.id, connected: true, error: null });
  }

  private markUnreachable(error: unknown): void {
    const problem = toProblem(error);
    const same = this.current.error?.message === problem.message;
    if (!this.current.connected && same) return;

    this.setState({ id: this.id, connected: false, error: problem });
  }

  private setState(next: ReplicatorState): void {
    const fields = {
      from: this.current.connected ? 'up' : 'down',
      to: next.connected ? 'up' : 'down',
      error: next.error?.message,
    };
    this.log.info(fields, 'replicator state');
    this.current = next;
    this.emit('state', next);
  }
}

/** What an operator should read about a failure; errors of other kinds are summarised. */
export function toProblem(error: unknown): ReplicatorProblem {
  if (isCodedError(error)) {
    return { code: error.code, message: error.message, hint: error.hint ?? null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, hint: null };
}

function isCodedError(error: unknown): error is Error & { code: string; hint?: string | null } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function sameExceptTime<T extends { at: string }>(a: T | undefined, b: T): boolean {
  if (a === undefined) return false;
  return JSON.stringify({ ...a, at: '' }) === JSON.stringify({ ...b, at: '' });
}
