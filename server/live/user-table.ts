/**
 * The users of one search, stored by column: usernames as bytes in one arena, the rest in
 * typed arrays. A million users cost no million objects or strings, so keeping them up with
 * the replicator's answer stays cheap; strings are made only for the rows a page shows.
 *
 * A page of an order that is not built yet is selected (RowSorter with a window: a few
 * passes over the rows, not a sort), and the full order is then built in the background, in
 * short slices, so that later pages of it are a copy of a few hundred indexes. The username
 * order is built first, whatever was asked: it breaks every other order's ties.
 */
import type { Priority, UserSortField } from '@/lib/api-types';

import type { UserLine, UserStatus } from '../replicator/answers';
import { FAILED_FLAG, PRIORITY_BY_RANK, type ParsedUserRows } from '../replicator/user-rows';
import { moduleLogger } from '../log';
import { RowSorter, identity, type SortKeys } from './byte-sort';
import { slicedSorter, type OrderSorter } from './order-sorter';

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

/** A page of a view: its rows, and how many rows pass the view's filter. */
export interface UserPageRows {
  total: number;
  rows: Uint32Array;
}

/**
 * A complete table's storage, as views of its exact size: what a worker thread that parsed
 * an answer hands over by moving the buffers, not copying them.
 */
export interface UserColumns {
  size: number;
  names: Uint8Array;
  nameStart: Uint32Array;
  priority: Uint8Array;
  fast: Float64Array;
  full: Float64Array;
  success: Float64Array;
  failed: Uint8Array;
  next: Float64Array;
}

const PRIORITY_RANK = Object.fromEntries(PRIORITY_BY_RANK.map((p, rank) => [p, rank])) as
  Record<Priority, number>;
const FIRST_CAPACITY = 1024;
/** Full orders kept per table; a search is paged through a handful of orders at a time. */
const MAX_ORDERS = 16;
/**
 * The background starts this late, so that the answer that asked for it goes out first:
 * its first step (sharing the columns with the worker) holds the event loop for a few
 * tens of milliseconds at a million rows.
 */
const BUILD_DELAY_MS = 100;
const NAME_ORDER = orderKey('username', {});
const log = moduleLogger('user-table');

export class UserTable {
  private size = 0;
  /** Never from Node's shared pool: the arena's buffer may be moved to another thread. */
  private names: Buffer = Buffer.allocUnsafeSlow(FIRST_CAPACITY * 32);
  private namesLength = 0;
  /** Username i is names[nameStart[i], nameStart[i + 1]). */
  private nameStart: Uint32Array = new Uint32Array(FIRST_CAPACITY + 1);
  private priority: Uint8Array = new Uint8Array(FIRST_CAPACITY);
  private fast: Float64Array = new Float64Array(FIRST_CAPACITY);
  private full: Float64Array = new Float64Array(FIRST_CAPACITY);
  private success: Float64Array = new Float64Array(FIRST_CAPACITY);
  private failed: Uint8Array = new Uint8Array(FIRST_CAPACITY);
  /** Seconds to the next sync; -1 where the replicator does not say (so it sorts first). */
  private next: Float64Array = new Float64Array(FIRST_CAPACITY);

  /** Full orders, ascending, by orderKey; a descending page is read from the end. */
  private readonly orders = new Map<string, Uint32Array>();
  /** Each row's position in the username order, once that is built: an O(1) tie-break. */
  private rank: Uint32Array | undefined;
  private readonly counts = new Map<string, number>();
  private readonly builds: OrderBuilds;

  /** @param sorter builds full orders: a worker thread in the server, else event-loop slices. */
  constructor(sorter: OrderSorter = slicedSorter) {
    this.builds = new OrderBuilds(this, sorter);
  }

  /** A table over the columns another thread filled; see `columns`. */
  static fromColumns(columns: UserColumns, sorter?: OrderSorter): UserTable {
    const table = new UserTable(sorter);
    const { names } = columns;
    table.size = columns.size;
    table.names = Buffer.from(names.buffer, names.byteOffset, names.byteLength);
    table.namesLength = names.byteLength;
    table.nameStart = columns.nameStart;
    table.priority = columns.priority;
    table.fast = columns.fast;
    table.full = columns.full;
    table.success = columns.success;
    table.failed = columns.failed;
    table.next = columns.next;
    return table;
  }

  /**
   * The complete table's storage, views of its exact size over the buffers as they grew.
   * Moved to another thread (their buffers transferred), they leave this one nothing to
   * collect: a worker that is idle afterwards would not collect it for a long time.
   */
  columns(): UserColumns {
    const size = this.size;
    return {
      size,
      names: this.names.subarray(0, this.namesLength),
      nameStart: this.nameStart.subarray(0, size + 1),
      priority: this.priority.subarray(0, size),
      fast: this.fast.subarray(0, size),
      full: this.full.subarray(0, size),
      success: this.success.subarray(0, size),
      failed: this.failed.subarray(0, size),
      next: this.next.subarray(0, size),
    };
  }

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

  /**
   * Adds rows [from, to) of a batch the WebAssembly parser read: their usernames need no
   * unescaping, so they and each column are copied in one piece.
   */
  addRows(rows: ParsedUserRows, from: number, to: number): void {
    const count = to - from;
    while (this.size + count > this.priority.length) this.grow();

    const first = from === 0 ? 0 : rows.nameEnds[from - 1]!;
    const bytes = rows.nameEnds[to - 1]! - first;
    if (this.namesLength + bytes > this.names.length) this.growNames(bytes);
    this.names.set(rows.names.subarray(first, first + bytes), this.namesLength);
    const shift = this.namesLength - first;
    for (let row = from, i = this.size; row < to; row++, i++) {
      this.nameStart[i + 1] = rows.nameEnds[row]! + shift;
      this.failed[i] = (rows.flags[row]! & FAILED_FLAG) === 0 ? 0 : 1;
    }

    const at = this.size;
    this.priority.set(rows.priority.subarray(from, to), at);
    this.fast.set(rows.fast.subarray(from, to), at);
    this.full.set(rows.full.subarray(from, to), at);
    this.success.set(rows.success.subarray(from, to), at);
    this.next.set(rows.next.subarray(from, to), at);
    this.namesLength += bytes;
    this.size += count;
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
      priority: PRIORITY_BY_RANK[this.priority[i]!]!,
      lastFastSync: this.fast[i]!,
      lastFullSync: this.full[i]!,
      failed: this.failed[i] === 1,
      lastSuccessfulSync: this.success[i]!,
      nextSyncSeconds: next < 0 ? null : next,
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
    const bigger = Buffer.allocUnsafeSlow(
      Math.max(this.names.length * 2, this.namesLength + needed));
    this.names.copy(bigger, 0, 0, this.namesLength);
    this.names = bigger;
  }

  private storeFields(i: number, user: Omit<UserStatus, 'username'>): void {
    this.priority[i] = PRIORITY_RANK[user.priority];
    this.fast[i] = user.lastFastSync;
    this.full[i] = user.lastFullSync;
    this.success[i] = user.lastSuccessfulSync;
    this.failed[i] = user.failed ? 1 : 0;
    this.next[i] = user.nextSyncSeconds ?? -1;
  }

  /**
   * Rows [offset, offset + limit) of a view. From a built order this is a copy; otherwise
   * the page is selected from the filtered rows, and the full order queued for building.
   */
  page(view: UserView, offset: number, limit: number, nowSeconds: number): UserPageRows {
    const key = orderKey(view.sort, view.filter);
    const order = this.builtOrder(key, view, nowSeconds);
    if (order !== undefined) {
      return { total: order.length, rows: pick(order, view.order, offset, limit) };
    }

    const rows = this.candidates(view.filter, nowSeconds);
    const [from, to] = ascendingWindow(rows.length, view.order, offset, limit);
    new RowSorter(this.sortKeys(view.sort), rows, from, to).run();
    this.builds.want(key, view.sort, view.filter, nowSeconds);
    return { total: rows.length, rows: pick(rows, view.order, offset, limit) };
  }

  /** Every row of a view, in its order, built now if it is not yet. */
  view(view: UserView, nowSeconds: number): Uint32Array {
    const key = orderKey(view.sort, view.filter);
    let order = this.builtOrder(key, view, nowSeconds);
    if (order === undefined) {
      order = this.candidates(view.filter, nowSeconds);
      new RowSorter(this.sortKeys(view.sort), order).run();
      this.keep(key, order);
    }
    return view.order === 'asc' ? order : order.slice().reverse();
  }

  /** How many rows pass a filter. */
  count(filter: UserFilter, nowSeconds: number): number {
    const pass = this.passes(filter, nowSeconds);
    if (pass === null) return this.size;

    const key = JSON.stringify(filter);
    let count = this.counts.get(key);
    if (count === undefined) {
      count = 0;
      for (let row = 0; row < this.size; row++) if (pass(row)) count++;
      this.counts.set(key, count);
    }
    return count;
  }

  /** Starts building the username order in the background, before anybody asks for it. */
  prepare(): void {
    this.builds.want(NAME_ORDER, 'username', {}, 0);
  }

  /** Stops building orders in the background: the table is being dropped. */
  retire(): void {
    this.builds.stop();
  }

  /** Resolves once no order is waiting to be built (or the table is retired). */
  settled(): Promise<void> {
    return this.builds.idle();
  }

  /**
   * Takes over another table's username order when both hold the same usernames in the
   * same places, as a watched mask read again usually does: comparing the arenas costs
   * milliseconds, sorting them again a second.
   */
  adoptNameOrder(other: UserTable): boolean {
    const order = other.orders.get(NAME_ORDER);
    if (order === undefined || !this.sameNamesAs(other)) return false;

    this.keep(NAME_ORDER, order);
    return true;
  }

  private sameNamesAs(other: UserTable): boolean {
    if (other.size !== this.size || other.namesLength !== this.namesLength) return false;

    const starts = (t: UserTable) => Buffer.from(t.nameStart.buffer, 0, (t.size + 1) * 4);
    return this.names.subarray(0, this.namesLength)
      .equals(other.names.subarray(0, other.namesLength)) && starts(this).equals(starts(other));
  }

  /** A full order that is built, or cheap to make: a filtered username order, say. */
  private builtOrder(key: string, { sort, filter }: UserView, nowSeconds: number) {
    const order = this.orders.get(key);
    if (order !== undefined) return order;

    const byName = this.orders.get(NAME_ORDER);
    if (byName === undefined || !derivable(sort)) return undefined;

    const named = this.passing(byName, filter, nowSeconds);
    const derived = sort === 'username' ? named : this.bucketed(named, this.column(sort) as
      Uint8Array, sort === 'priority' ? PRIORITY_BY_RANK.length : 2);
    this.keep(key, derived);
    return derived;
  }

  /**
   * Rows in username order, grouped by a column of a few small values (priority, failed)
   * and kept in that order within each group: the column's order in two passes, no sort.
   */
  private bucketed(named: Uint32Array, column: Uint8Array, values: number): Uint32Array {
    const next = new Uint32Array(values + 1);
    for (const row of named) next[column[row]! + 1]!++;
    for (let value = 1; value <= values; value++) next[value]! += next[value - 1]!;

    const order = new Uint32Array(named.length);
    for (const row of named) order[next[column[row]!]!++] = row;
    return order;
  }

  /** The rows of `rows` that pass a filter, in the same order. */
  private passing(rows: Uint32Array, filter: UserFilter, nowSeconds: number): Uint32Array {
    const pass = this.passes(filter, nowSeconds);
    if (pass === null) return rows.slice();

    // By hand: TypedArray.prototype.filter is several times slower at a million rows.
    const passed = new Uint32Array(this.count(filter, nowSeconds));
    let at = 0;
    for (let i = 0; i < rows.length; i++) if (pass(rows[i]!)) passed[at++] = rows[i]!;
    return passed;
  }

  /** Keeps a finished order; called by the background builds too. */
  keep(key: string, order: Uint32Array): void {
    if (this.orders.size >= MAX_ORDERS) this.forgetOldestOrder();
    this.orders.set(key, order);
    if (key === NAME_ORDER) this.rank = ranks(order);
  }

  has(key: string): boolean {
    return this.orders.has(key);
  }

  private forgetOldestOrder(): void {
    const oldest = [...this.orders.keys()].find((key) => key !== NAME_ORDER);
    if (oldest !== undefined) this.orders.delete(oldest);
  }

  /** The rows passing a filter, in row order: what a sorter then orders in place. */
  candidates(filter: UserFilter, nowSeconds: number): Uint32Array {
    return this.passing(identity(this.size), filter, nowSeconds);
  }

  /** Whether a row passes a filter; null for no filter at all. */
  private passes(filter: UserFilter, nowSeconds: number): ((row: number) => boolean) | null {
    const { failed, priority, staleSeconds } = filter;
    if (failed === undefined && priority === undefined && staleSeconds === undefined) {
      return null;
    }

    const wantFailed = failed === undefined ? -1 : failed ? 1 : 0;
    const wantPriority = priority === undefined ? -1 : PRIORITY_RANK[priority];
    const staleBefore = staleSeconds === undefined ? Infinity : nowSeconds - staleSeconds;
    const { failed: failedColumn, priority: priorityColumn, success } = this;
    return (row) =>
      (wantFailed < 0 || failedColumn[row] === wantFailed) &&
      (wantPriority < 0 || priorityColumn[row] === wantPriority) &&
      success[row]! < staleBefore;
  }

  /** What an order compares: its column, then the username (by its rank once known). */
  sortKeys(sort: UserSortField): SortKeys {
    const names = { bytes: this.names, starts: this.nameStart };
    if (sort === 'username') return { ...names, columns: [] };

    const column = this.column(sort);
    if (this.rank === undefined) return { ...names, columns: [column] };
    return { ...names, columns: [column, this.rank], ranked: true };
  }

  private column(field: Exclude<UserSortField, 'username'>): ArrayLike<number> {
    switch (field) {
      case 'priority': return this.priority;
      case 'lastFastSync': return this.fast;
      case 'lastFullSync': return this.full;
      case 'lastSuccessfulSync': return this.success;
      case 'failed': return this.failed;
      case 'nextSyncSeconds': return this.next;
    }
  }

  /** Approximate bytes held, for logs and the benchmark. */
  get bytes(): number {
    const columns = this.priority.length * (1 + 8 + 8 + 8 + 1 + 8 + 4);
    const orders = [...this.orders.values()].reduce((sum, o) => sum + o.byteLength, 0);
    return columns + this.names.length + orders + (this.rank?.byteLength ?? 0);
  }

  /**
   * Moves the usernames and the columns into SharedArrayBuffers of their exact size, once the
   * table is complete: a worker thread then reads them where they are (nothing is copied
   * per order), and the slack left by growing goes.
   */
  share(): void {
    if (this.names.buffer instanceof SharedArrayBuffer) return;

    const size = this.size;
    const names: Uint8Array = this.names;
    this.names = Buffer.from(sharedCopy(names, this.namesLength, Uint8Array).buffer);
    this.nameStart = sharedCopy(this.nameStart, size + 1, Uint32Array);
    this.priority = sharedCopy(this.priority, size, Uint8Array);
    this.fast = sharedCopy(this.fast, size, Float64Array);
    this.full = sharedCopy(this.full, size, Float64Array);
    this.success = sharedCopy(this.success, size, Float64Array);
    this.failed = sharedCopy(this.failed, size, Uint8Array);
    this.next = sharedCopy(this.next, size, Float64Array);
  }

  private grow(): void {
    const capacity = Math.max(FIRST_CAPACITY, this.priority.length * 2);
    this.priority = resized(this.priority, new Uint8Array(capacity));
    this.fast = resized(this.fast, new Float64Array(capacity));
    this.full = resized(this.full, new Float64Array(capacity));
    this.success = resized(this.success, new Float64Array(capacity));
    this.failed = resized(this.failed, new Uint8Array(capacity));
    this.next = resized(this.next, new Float64Array(capacity));
    this.nameStart = resized(this.nameStart, new Uint32Array(capacity + 1));
  }
}

/**
 * The full orders a table was asked for, built one after another off the request path (the
 * username order always first), until the table is retired.
 */
class OrderBuilds {
  private readonly queue: { key: string; sort: UserSortField; filter: UserFilter;
    nowSeconds: number }[] = [];
  private running = false;
  private stopped = false;
  private waiting: (() => void)[] = [];

  constructor(private readonly table: UserTable, private readonly sorter: OrderSorter) {}

  want(key: string, sort: UserSortField, filter: UserFilter, nowSeconds: number): void {
    if (this.stopped || this.table.has(key) || this.queued(key)) return;

    if (!this.table.has(NAME_ORDER) && !this.queued(NAME_ORDER)) {
      this.queue.push({ key: NAME_ORDER, sort: 'username', filter: {}, nowSeconds });
    }
    // These page() makes from the username order in a few passes (builtOrder).
    if (!derivable(sort)) this.queue.push({ key, sort, filter, nowSeconds });
    if (!this.running) {
      this.running = true;
      setTimeout(() => void this.buildAll(), BUILD_DELAY_MS);
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private queued(key: string): boolean {
    return this.queue.some((build) => build.key === key);
  }

  private async buildAll(): Promise<void> {
    for (let build = this.queue.shift(); build !== undefined; build = this.queue.shift()) {
      if (this.stopped) break;
      if (this.table.has(build.key)) continue;

      await this.build(build.key, build.sort, build.filter, build.nowSeconds);
    }
    this.running = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private async build(key: string, sort: UserSortField, filter: UserFilter, now: number) {
    this.table.share();
    const rows = this.table.candidates(filter, now);
    try {
      const order = await this.sorter(this.table.sortKeys(sort), rows);
      if (!this.stopped) this.table.keep(key, order);
    } catch (error) {
      // Pages are then selected each time: slower, still right.
      log.warn({ err: error, order: key }, 'order not built');
    }
  }
}

/** Orders made from the username order without sorting: itself filtered, or bucketed. */
function derivable(sort: UserSortField): boolean {
  return sort === 'username' || sort === 'priority' || sort === 'failed';
}

function orderKey(sort: UserSortField, filter: UserFilter): string {
  return JSON.stringify([sort, filter]);
}

/** Where rows [offset, offset + limit) of a view lie in its ascending order. */
function ascendingWindow(
  total: number,
  order: 'asc' | 'desc',
  offset: number,
  limit: number,
): [number, number] {
  if (order === 'asc') return [Math.min(offset, total), Math.min(offset + limit, total)];
  return [Math.max(0, total - offset - limit), Math.max(0, total - offset)];
}

/** Rows [offset, offset + limit) of a view, from rows in ascending order at those places. */
function pick(rows: Uint32Array, order: 'asc' | 'desc', offset: number, limit: number) {
  const [from, to] = ascendingWindow(rows.length, order, offset, limit);
  const page = rows.slice(from, to);
  return order === 'asc' ? page : page.reverse();
}

function sharedCopy<T extends Uint8Array | Uint32Array | Float64Array>(
  array: T,
  length: number,
  make: new (buffer: SharedArrayBuffer) => T,
): T {
  const copy = new make(new SharedArrayBuffer(length * array.BYTES_PER_ELEMENT));
  copy.set(array.subarray(0, length));
  return copy;
}

/** Each row's position in an order; shared, as the worker breaks ties by it. */
function ranks(order: Uint32Array): Uint32Array {
  const rank = new Uint32Array(new SharedArrayBuffer(order.length * 4));
  for (let position = 0; position < order.length; position++) rank[order[position]!] = position;
  return rank;
}

function resized<T extends Uint8Array | Float64Array | Uint32Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}
