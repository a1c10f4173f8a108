/**
 * Kept user-search results: the users of a mask as the replicator last answered, so that
 * paging and sorting the same search does not ask the replicator again, and identical
 * searches in flight share one STATUS command.
 */
import { isOneUser } from '../auth/policy';
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
/**
 * After an answer of SPACED_FROM_USERS users or more, the next wildcard search waits this
 * long per user of it (3 s after a million). What this process does after a large search
 * (sorting it, collecting the garbage) takes the CPU a reader needs: a second `STATUS *` of
 * a million users read at once then made the replicator die of "Out of memory" in every try
 * here (Dovecot's default `vsz_limit`), the same read 3 s later never did.
 */
const PAUSE_MS_PER_USER = 0.003;

export class KeptUserResults {
  private readonly kept = new Map<string, KeptUsers>();
  private readonly inFlight = new Map<string, Promise<KeptUsers>>();
  /** The wildcard searches, one after another: each waits for the one before it. */
  private wildcardReads: Promise<unknown> = Promise.resolve();
  /** When the next wildcard search may start (after a large answer). */
  private pausedUntil = 0;

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

  /**
   * Reads a mask. One user's name is read at once: its answer is one line. A wildcard waits
   * for the wildcard searches before it, and after a large one for the pause it asks for.
   */
  private load(mask: string): Promise<KeptUsers> {
    if (isOneUser(mask)) return this.readAndKeep(mask);

    const turn = this.wildcardReads.then(() => this.pause()).then(() => this.readAndKeep(mask));
    this.wildcardReads = turn.catch(() => undefined);
    return turn;
  }

  private async pause(): Promise<void> {
    const left = this.pausedUntil - Date.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  private async readAndKeep(mask: string): Promise<KeptUsers> {
    const { users, unparsed } = await this.read(this.client, mask);
    if (users.length >= SPACED_FROM_USERS) {
      this.pausedUntil = Date.now() + users.length * PAUSE_MS_PER_USER;
    }
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
