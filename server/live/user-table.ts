/**
 * The users of one search, stored by column: usernames as bytes in one arena, the rest in
 * typed arrays. A million users cost no million objects or strings, so keeping them up with
 * the replicator's answer stays cheap; strings are made only for the rows a page shows.
 * Sorted and filtered views are index arrays, computed once per (filter, sort) and kept
 * with the table, so paging and re-sorting the same search stays cheap too.
 */
import type { Priority, UserSortField } from '@/lib/api-types';

import type { UserLine, UserStatus } from '../replicator/answers';
import { sortByBytes } from './byte-sort';

export interface UserFilter {
  failed?: boolean;
  priority?: Priority;
  /** Only users whose last successful sync is older than this many seconds, or never. */
  staleSeconds?: number;
}

export interface UserView {
  sort: UserSortField;
  order: 'asc' | 'desc';
  filter: UserFilter;
}

const PRIORITIES: readonly Priority[] = ['none', 'low', 'high', 'sync'];
const PRIORITY_RANK: Record<Priority, number> = { none: 0, low: 1, high: 2, sync: 3 };
const FIRST_CAPACITY = 1024;
/** Views kept per table; a search is paged through a handful of orders at a time. */
const MAX_VIEWS = 16;

export class UserTable {
  private size = 0;
  private names = Buffer.allocUnsafe(FIRST_CAPACITY * 32);
  private namesLength = 0;
  /** Username i is names[nameStart[i], nameStart[i + 1]). */
  private nameStart = new Uint32Array(FIRST_CAPACITY + 1);
  private priority = new Uint8Array(FIRST_CAPACITY);
  private fast = new Float64Array(FIRST_CAPACITY);
  private full = new Float64Array(FIRST_CAPACITY);
  private success = new Float64Array(FIRST_CAPACITY);
  private failed = new Uint8Array(FIRST_CAPACITY);
  /** Seconds to the next sync; NaN where the replicator does not say. */
  private next = new Float64Array(FIRST_CAPACITY);
  private byName: Uint32Array | undefined;
  private readonly views = new Map<string, Uint32Array>();

  get length(): number {
    return this.size;
  }

  /** Adds a line as the replicator's answer is parsed; it is copied, not kept. */
  addLine(line: UserLine): void {
    const i = this.reserve();
    if (line.usernamePlain) this.storeName(i, line.bytes, line.usernameStart, line.usernameEnd);
    else this.storeName(i, line.usernameBytes());
    this.storeFields(i, line);
  }

  add(user: UserStatus): void {
    const i = this.reserve();
    this.storeName(i, Buffer.from(user.username, 'utf8'));
    this.storeFields(i, user);
  }

  username(i: number): string {
    return this.names.toString('utf8', this.nameStart[i], this.nameStart[i + 1]);
  }

  row(i: number): UserStatus {
    const next = this.next[i]!;
    return {
      username: this.username(i),
      priority: PRIORITIES[this.priority[i]!]!,
      lastFastSync: this.fast[i]!,
      lastFullSync: this.full[i]!,
      failed: this.failed[i] === 1,
      lastSuccessfulSync: this.success[i]!,
      nextSyncSeconds: Number.isNaN(next) ? null : next,
    };
  }

  private reserve(): number {
    if (this.size === this.priority.length) this.grow();
    return this.size++;
  }

  /** Appends bytes[start, end) to the arena as username i, byte by byte: no view objects. */
  private storeName(i: number, bytes: Uint8Array, start = 0, end = bytes.length): void {
    const length = end - start;
    if (this.namesLength + length > this.names.length) this.growNames(length);

    const names = this.names;
    let at = this.namesLength;
    for (let j = start; j < end; j++) names[at++] = bytes[j]!;
    this.namesLength = at;
    this.nameStart[i + 1] = at;
  }

  private growNames(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.names.length * 2, this.namesLength + needed));
    this.names.copy(bigger, 0, 0, this.namesLength);
    this.names = bigger;
  }

  private storeFields(i: number, user: Omit<UserStatus, 'username'>): void {
    this.priority[i] = PRIORITY_RANK[user.priority];
    this.fast[i] = user.lastFastSync;
    this.full[i] = user.lastFullSync;
    this.success[i] = user.lastSuccessfulSync;
    this.failed[i] = user.failed ? 1 : 0;
    this.next[i] = user.nextSyncSeconds ?? NaN;
  }

  /** The rows of a view, in its order, as indexes into this table. */
  view(view: UserView, nowSeconds: number): Uint32Array {
    const key = JSON.stringify([view.sort, view.order, view.filter]);
    const kept = this.views.get(key);
    if (kept !== undefined) return kept;

    const rows = this.filtered(this.sorted(view.sort, view.order), view.filter, nowSeconds);
    this.keep(key, rows);
    return rows;
  }

  private keep(key: string, rows: Uint32Array): void {
    if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, rows);
  }

  /** Approximate bytes held, for logs and the benchmark. */
  get bytes(): number {
    const columns = this.priority.length * (1 + 8 + 8 + 8 + 1 + 8 + 4);
    const names = this.names.length;
    const views = [...this.views.values()].reduce((sum, v) => sum + v.byteLength, 0);
    return columns + names + views;
  }

  private sorted(field: UserSortField, order: 'asc' | 'desc'): Uint32Array {
    const key = JSON.stringify([field, order, {}]);
    const kept = this.views.get(key);
    if (kept !== undefined) return kept;

    const rows = field === 'username' ? this.nameOrder().slice() : this.orderBy(field);
    if (order === 'desc') rows.reverse();
    this.keep(key, rows);
    return rows;
  }

  /** Username order (by bytes) is every other order's tie-break, so it is computed once. */
  private nameOrder(): Uint32Array {
    this.byName ??= sortByBytes(this.names, this.nameStart, this.size);
    return this.byName;
  }

  private orderBy(field: Exclude<UserSortField, 'username'>): Uint32Array {
    const column = this.column(field);
    const byName = this.nameOrder();
    const rank = new Uint32Array(this.size);
    byName.forEach((row, position) => (rank[row] = position));
    return sortByNumber(column, rank, byName);
  }

  private column(field: Exclude<UserSortField, 'username'>): ArrayLike<number> {
    switch (field) {
      case 'priority': return this.priority;
      case 'lastFastSync': return this.fast;
      case 'lastFullSync': return this.full;
      case 'lastSuccessfulSync': return this.success;
      case 'failed': return this.failed;
      // Unknown sorts first: shifted by one so that every key stays a small whole number.
      case 'nextSyncSeconds': return this.next.map((n) => (Number.isNaN(n) ? 0 : n + 1));
    }
  }

  private filtered(rows: Uint32Array, filter: UserFilter, nowSeconds: number): Uint32Array {
    const { failed, priority, staleSeconds } = filter;
    if (failed === undefined && priority === undefined && staleSeconds === undefined) {
      return rows;
    }

    const wantFailed = failed === undefined ? -1 : failed ? 1 : 0;
    const wantPriority = priority === undefined ? -1 : PRIORITY_RANK[priority];
    const staleBefore = staleSeconds === undefined ? Infinity : nowSeconds - staleSeconds;
    return rows.filter(
      (row) =>
        (wantFailed < 0 || this.failed[row] === wantFailed) &&
        (wantPriority < 0 || this.priority[row] === wantPriority) &&
        this.success[row]! < staleBefore,
    );
  }

  private grow(): void {
    const capacity = this.priority.length * 2;
    this.priority = resized(this.priority, new Uint8Array(capacity));
    this.fast = resized(this.fast, new Float64Array(capacity));
    this.full = resized(this.full, new Float64Array(capacity));
    this.success = resized(this.success, new Float64Array(capacity));
    this.failed = resized(this.failed, new Uint8Array(capacity));
    this.next = resized(this.next, new Float64Array(capacity));
    this.nameStart = resized(this.nameStart, new Uint32Array(capacity + 1));
  }
}

/** Ranks fit in this many bits of a composite sort key; values in the rest of 53. */
const RANK_BITS = 22;
const RANK_SCALE = 2 ** RANK_BITS;
const LARGEST_PACKED_VALUE = 2 ** (53 - RANK_BITS) - 1;

/**
 * Rows ordered by a numeric column, ties by username rank. Where value and rank fit in one
 * double (Unix times until 2038, up to 4M rows), the keys are sorted natively, which is
 * several times faster than a comparator; otherwise a comparator does it.
 */
function sortByNumber(
  column: ArrayLike<number>,
  rank: Uint32Array,
  byName: Uint32Array,
): Uint32Array {
  const size = rank.length;
  if (size > RANK_SCALE || !fitsPacked(column, size)) {
    return byName.slice().sort((a, b) => column[a]! - column[b]! || rank[a]! - rank[b]!);
  }

  const keys = new Float64Array(size);
  for (let row = 0; row < size; row++) keys[row] = column[row]! * RANK_SCALE + rank[row]!;
  keys.sort();
  return Uint32Array.from(keys, (key) => byName[key % RANK_SCALE]!);
}

function fitsPacked(column: ArrayLike<number>, size: number): boolean {
  for (let row = 0; row < size; row++) {
    const value = column[row]!;
    if (!(value >= 0 && value <= LARGEST_PACKED_VALUE) || !Number.isInteger(value)) return false;
  }
  return true;
}

function resized<T extends Uint8Array | Float64Array | Uint32Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

