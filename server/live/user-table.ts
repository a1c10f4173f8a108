/**
 * The users of one search, stored by column: a million users cost a string each plus a few
 * typed-array slots, not a million objects. Sorted and filtered views are index arrays,
 * computed once per (filter, sort) and kept with the table, so paging and re-sorting the
 * same search stays cheap.
 */
import type { Priority, UserSortField } from '@/lib/api-types';

import type { UserStatus } from '../replicator/answers';

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
  private usernames: string[] = [];
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

  add(user: UserStatus): void {
    if (this.size === this.priority.length) this.grow();

    const i = this.size++;
    this.usernames.push(user.username);
    this.priority[i] = PRIORITY_RANK[user.priority];
    this.fast[i] = user.lastFastSync;
    this.full[i] = user.lastFullSync;
    this.success[i] = user.lastSuccessfulSync;
    this.failed[i] = user.failed ? 1 : 0;
    this.next[i] = user.nextSyncSeconds ?? NaN;
  }

  row(i: number): UserStatus {
    const next = this.next[i]!;
    return {
      username: this.usernames[i]!,
      priority: PRIORITIES[this.priority[i]!]!,
      lastFastSync: this.fast[i]!,
      lastFullSync: this.full[i]!,
      failed: this.failed[i] === 1,
      lastSuccessfulSync: this.success[i]!,
      nextSyncSeconds: Number.isNaN(next) ? null : next,
    };
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
    const columns = this.priority.length * (1 + 8 + 8 + 8 + 1 + 8);
    const names = this.usernames.reduce((sum, name) => sum + 40 + name.length * 2, 0);
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

  /** Username order is every other order's tie-break, so it is computed once. */
  private nameOrder(): Uint32Array {
    if (this.byName !== undefined) return this.byName;

    const names = this.usernames;
    const rows = identity(this.size);
    rows.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    this.byName = rows;
    return rows;
  }

  private orderBy(field: Exclude<UserSortField, 'username'>): Uint32Array {
    const column = this.column(field);
    const byName = this.nameOrder();
    const rank = new Uint32Array(this.size);
    byName.forEach((row, position) => (rank[row] = position));

    const rows = byName.slice();
    rows.sort((a, b) => column[a]! - column[b]! || rank[a]! - rank[b]!);
    return rows;
  }

  private column(field: Exclude<UserSortField, 'username'>): ArrayLike<number> {
    switch (field) {
      case 'priority': return this.priority;
      case 'lastFastSync': return this.fast;
      case 'lastFullSync': return this.full;
      case 'lastSuccessfulSync': return this.success;
      case 'failed': return this.failed;
      case 'nextSyncSeconds': return this.next.map((n) => (Number.isNaN(n) ? -1 : n));
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
  }
}

function resized<T extends Uint8Array | Float64Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}

function identity(size: number): Uint32Array {
  const rows = new Uint32Array(size);
  for (let i = 0; i < size; i++) rows[i] = i;
  return rows;
}
