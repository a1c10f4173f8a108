/**
 * The fleet: every replicator side by side, and one user search over all of them. The
 * overview reads what each hub last polled, so it never waits for any replicator; a search
 * asks them all at once and bounds each part by its own timeout, so one replicator that is
 * down or frozen costs the others nothing and is named in the answer instead.
 */
import type { Priority, ReplicatorProblem, UserSortField } from '@/lib/api-types';
import type {
  FleetAnswer,
  FleetPart,
  FleetReplicator,
  FleetUser,
  FleetUsersPage,
  OverviewCounts,
  ReplicatorInfo,
} from '@/lib/fleet-types';

import { addressesFor, seesAddresses } from './auth/addresses';
import type { Principal } from './auth/policy';
import { pageWithin, visibleDsyncs } from './auth/visibility';
import { toProblem } from './live/hub';
import type { KeptUsers } from './live/kept-users';
import type { UserStatus } from './replicator/answers';
import { ReplicatorError } from './replicator/errors';
import type { Replicator, ReplicatorRegistry } from './replicators';
import { toApiUser } from './shapes';
import { pageUsers, type UsersPageQuery } from './users-page';

/** Who asks: the role decides whether addresses are shown, the domains which users. */
export type Asker = Principal;

/** The listing's facts about a replicator; its address for operators only. */
export function replicatorInfo(replicator: Replicator, who: Asker): ReplicatorInfo {
  const { kind, limits } = replicator.client;
  const info: ReplicatorInfo = {
    id: replicator.id,
    name: replicator.name,
    transport: {
      kind,
      unknownUserFields: [...limits.unknownUserFields],
      relativeTimes: limits.relativeTimes,
    },
  };
  if (seesAddresses(who)) info.address = replicator.address;
  return info;
}

/** A problem as `who` may read it: the replicator's address is for operators. */
export function problemFor(
  problem: ReplicatorProblem | null,
  replicator: Replicator,
  who: Asker,
): ReplicatorProblem | null {
  return addressesFor(who, problem, [replicator]);
}

/** Every replicator's counters, reachability and dsyncs as last polled, plus totals. */
export function fleetOverview(registry: ReplicatorRegistry, who: Asker): FleetAnswer {
  const replicators = registry.all().map((r) => fleetReplicator(r, who));
  return {
    replicators,
    totals: totals(replicators),
    pairs: registry.pairs().map((p) => ({ ...p, replicators: [...p.replicators] })),
    at: new Date().toISOString(),
  };
}

function fleetReplicator(replicator: Replicator, who: Asker): FleetReplicator {
  const { state, overview, dsyncs } = replicator.hub;
  const up = state.connected;
  const slots = up && dsyncs !== undefined ? visibleDsyncs(who, dsyncs).dsyncs : null;
  return {
    ...replicatorInfo(replicator, who),
    connected: up,
    error: problemFor(state.error, replicator, who),
    overview: up ? overview ?? null : null,
    dsyncs: slots,
    runningDsyncs: slots === null ? null : slots.filter((d) => d.username !== null).length,
  };
}

const COUNTERS: (keyof OverviewCounts)[] = ['queuedSync', 'queuedHigh', 'queuedLow',
  'queuedFailed', 'queuedFullResync', 'waitingFailed', 'totalUsers'];

function totals(replicators: FleetReplicator[]): FleetAnswer['totals'] {
  const sum = { runningDsyncs: 0, reachable: 0, unreachable: 0 } as FleetAnswer['totals'];
  for (const key of COUNTERS) sum[key] = 0;

  for (const r of replicators) {
    if (r.overview === null) {
      sum.unreachable++;
      continue;
    }
    sum.reachable++;
    for (const key of COUNTERS) sum[key] += r.overview[key];
    sum.runningDsyncs += r.runningDsyncs ?? 0;
  }
  return sum;
}

/** Fleet searches page through at most this many merged rows. */
export const FLEET_MAX_ROWS = 10_000;

/**
 * One page of a mask's users over every replicator, merged in the order asked for, with
 * the replicator as a column. Each replicator has `timeoutMs` to answer; those that do not
 * are named in `parts` and left out of the rows. `fresh` asks each for an answer from now.
 */
export async function searchFleet(
  registry: ReplicatorRegistry,
  mask: string,
  query: UsersPageQuery,
  who: Asker,
  { timeoutMs, fresh }: { timeoutMs: number; fresh: boolean },
): Promise<FleetUsersPage> {
  const replicators = registry.all();
  const results = await Promise.allSettled(
    replicators.map((r) => bounded(r.keptUsers.search(mask, fresh), timeoutMs, r.id)),
  );

  const now = new Date();
  const window = { ...query, offset: 0, limit: query.offset + query.limit };
  const parts: FleetPart[] = [];
  const rows: { replicator: string; user: UserStatus }[] = [];
  results.forEach((result, i) => {
    const replicator = replicators[i]!;
    const part = partOf(replicator, result, window, who, now);
    parts.push(part.part);
    for (const user of part.users) rows.push({ replicator: replicator.id, user });
  });

  rows.sort(compareRows(query.sort, query.order));
  const page = rows.slice(query.offset, query.offset + query.limit);
  return {
    total: parts.reduce((sum, p) => sum + (p.total ?? 0), 0),
    users: page.map(({ replicator, user }): FleetUser => ({ ...toApiUser(user), replicator })),
    parts,
    at: now.toISOString(),
  };
}

function partOf(
  replicator: Replicator,
  result: PromiseSettledResult<KeptUsers>,
  window: UsersPageQuery,
  who: Asker,
  now: Date,
): { part: FleetPart; users: UserStatus[] } {
  const base = {
    id: replicator.id,
    name: replicator.name,
    unknownUserFields: [...replicator.client.limits.unknownUserFields],
  };
  if (result.status === 'rejected') {
    const error = problemFor(toProblem(result.reason), replicator, who);
    return { part: { ...base, answered: false, total: null, error }, users: [] };
  }

  const table = result.value.users;
  const page = who.domains === null
    ? pageUsers(table, window, now)
    : pageWithin(table, window, who.domains, now);
  return { part: { ...base, answered: true, total: page.total, error: null }, users: page.users };
}

/** The replicator's answer, or a timeout error once `ms` have passed. */
export function bounded<T>(work: Promise<T>, ms: number, replicator: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplicatorError('timeout',
      `no answer within ${ms / 1000} s; the other replicators answered without it`,
      { replicator, hint: 'The replicator may be down, frozen or overloaded.' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const PRIORITY_RANK: Record<Priority, number> = { none: 0, low: 1, high: 2, sync: 3 };

type Row = { replicator: string; user: UserStatus };

/** The order of the one-replicator search: the field, then the username, then the replicator. */
function compareRows(field: UserSortField, order: 'asc' | 'desc') {
  const sign = order === 'asc' ? 1 : -1;
  return (a: Row, b: Row): number => {
    const byField = field === 'username'
      ? compareNames(a, b)
      : sortKey(a.user, field) - sortKey(b.user, field);
    return sign * byField || compareNames(a, b) ||
      (a.replicator < b.replicator ? -1 : a.replicator > b.replicator ? 1 : 0);
  };
}

/** Usernames in byte order, as the replicator's own search sorts them. */
function compareNames(a: Row, b: Row): number {
  return Buffer.compare(Buffer.from(a.user.username), Buffer.from(b.user.username));
}

function sortKey(user: UserStatus, field: UserSortField): number {
  switch (field) {
    case 'username': return 0;
    case 'priority': return PRIORITY_RANK[user.priority];
    case 'failed': return user.failed ? 1 : 0;
    // Unknown sorts first, as in one replicator's search.
    case 'nextSyncSeconds': return user.nextSyncSeconds === null ? 0 : user.nextSyncSeconds + 1;
    default: return user[field];
  }
}
