/**
 * Kept user-search results: the users of a mask as the replicator last answered, so that
 * paging and sorting the same search does not ask the replicator again, and identical
 * searches in flight share one STATUS command.
 */
import type { ReplicatorTransport } from '../replicator/transport';
import type { Logger } from '../log';
import { readInThread, type UserReader } from './user-reading';
import type { UserTable } from './user-table';

export interface KeptUsers {
  mask: string;
  users: UserTable;
  at: Date;
}

/**
 * A watched mask of this many users or more is read again only once its result is a
 * millisecond old per WATCHED_USERS_PER_MS users: a million users (about a second of the
 * replicator's time and 64 MB) every ten seconds rather than at every poll. Smaller masks
 * are read every poll. By size, not by how long the read took: that depends as much on how
 * busy this machine is.
 */
const SPACED_FROM_USERS = 100_000;
const WATCHED_USERS_PER_MS = 100;

export class KeptUserResults {
  private readonly kept = new Map<string, KeptUsers>();
  private readonly inFlight = new Map<string, Promise<KeptUsers>>();

  constructor(
    private readonly client: ReplicatorTransport,
    private readonly keepMs: number,
    private readonly log: Logger,
    /** Reads a search into a table; in this thread unless told otherwise. */
    private readonly read: UserReader = readInThread(),
  ) {}

  /** The users of a mask, from a result no older than `maxAgeMs`, else from the replicator. */
  get(mask: string, maxAgeMs = this.keepMs): Promise<KeptUsers> {
    const kept = this.kept.get(mask);
    if (kept !== undefined && Date.now() - kept.at.getTime() <= maxAgeMs) {
      return Promise.resolve(kept);
    }
    return this.fetch(mask);
  }

  /** The users of a mask for a search: kept ones, or the replicator's from now if `fresh`. */
  search(mask: string, fresh: boolean): Promise<KeptUsers> {
    return this.get(mask, fresh ? 0 : this.keepMs);
  }

  /** The users of a watched mask, read again as often as its size allows. */
  getWatched(mask: string): Promise<KeptUsers> {
    const users = this.kept.get(mask)?.users.length ?? 0;
    return this.get(mask, users < SPACED_FROM_USERS ? 0 : users / WATCHED_USERS_PER_MS);
  }

  /** Drops results older than the keep time, except the masks in `keep`. */
  sweep(keep: ReadonlySet<string>): void {
    const oldest = Date.now() - this.keepMs;
    for (const [mask, result] of this.kept) {
      if (keep.has(mask) || result.at.getTime() >= oldest) continue;
      result.users.retire();
      this.kept.delete(mask);
    }
  }

  /** Forgets every kept result, e.g. after a change that makes them all stale. */
  clear(): void {
    for (const result of this.kept.values()) result.users.retire();
    this.kept.clear();
  }

  private fetch(mask: string): Promise<KeptUsers> {
    const pending = this.inFlight.get(mask);
    if (pending !== undefined) return pending;

    const request = this.load(mask).finally(() => this.inFlight.delete(mask));
    this.inFlight.set(mask, request);
    return request;
  }

  private async load(mask: string): Promise<KeptUsers> {
    const { users, unparsed } = await this.read(this.client, mask);
    if (unparsed.count > 0) {
      this.log.warn({ mask, unparsed: unparsed.count, samples: unparsed.samples },
        'STATUS lines that did not parse');
    }

    const result: KeptUsers = { mask, users, at: new Date() };
    this.replace(result);
    return result;
  }

  /**
   * Keeps a new result in place of the last one of its mask. The username order is taken
   * over when the usernames did not change (a watched mask is read again every poll), else
   * built in the background right away: it is the default order and every order's tie-break.
   */
  private replace(result: KeptUsers): void {
    const previous = this.kept.get(result.mask);
    if (previous === undefined || !result.users.adoptNameOrder(previous.users)) {
      result.users.prepare();
    }
    previous?.users.retire();
    this.kept.set(result.mask, result);
  }
}
