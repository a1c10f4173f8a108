/**
 * Two-way (master-master) pairs: each side runs its own replicator, which copies its own
 * users' changes to the other side. For one user both sides' sync times are shown side by
 * side; over all users, the sides disagree when one failed, one lacks the user, or one's
 * last successful sync is far older than the other's.
 */
import type { ReplicatorUser } from '@/lib/api-types';
import type {
  Disagreement,
  DisagreementsAnswer,
  PairInfo,
  PairSide,
  PairUserAnswer,
} from '@/lib/fleet-types';

import { seesUser, type Principal } from './auth/policy';
import { bounded, problemFor } from './fleet';
import { toProblem } from './live/hub';
import type { UserTable } from './live/user-table';
import type { UserStatus } from './replicator/answers';
import { listUsers } from './replicator/transport';
import type { Replicator, ReplicatorRegistry } from './replicators';
import { toApiUser } from './shapes';

/** The pair's two replicators, in the listing's order. */
export function pairSides(registry: ReplicatorRegistry, pair: PairInfo): [Replicator, Replicator] {
  return [registry.get(pair.replicators[0])!, registry.get(pair.replicators[1])!];
}

/** The pair a replicator belongs to, if the listing declares one. */
export function pairOf(registry: ReplicatorRegistry, replicatorId: string) {
  return registry.pairs().find((p) => p.replicators.includes(replicatorId));
}

/** One user on both sides; a side that does not answer in `timeoutMs` says so. */
export async function pairUser(
  registry: ReplicatorRegistry,
  pair: PairInfo,
  username: string,
  timeoutMs: number,
  who: Principal,
): Promise<PairUserAnswer> {
  const [a, b] = await Promise.all(
    pairSides(registry, pair).map((r) => sideOf(r, username, timeoutMs, who)),
  );
  return { pair, sides: [a!, b!], at: new Date().toISOString() };
}

async function sideOf(
  replicator: Replicator,
  username: string,
  timeoutMs: number,
  who: Principal,
) {
  const side: PairSide = {
    replicator: replicator.id,
    name: replicator.name,
    user: null,
    error: null,
    unknownUserFields: [...replicator.client.limits.unknownUserFields],
  };
  try {
    const { users } = await bounded(listUsers(replicator.client, username), timeoutMs,
      replicator.id);
    const user = users.find((u) => u.username === username);
    side.user = user === undefined ? null : toApiUser(user);
  } catch (error) {
    side.error = problemFor(toProblem(error), replicator, who);
  }
  return side;
}

export interface DisagreementQuery {
  behindSeconds: number;
  offset: number;
  limit: number;
}

/**
 * The users whose sides disagree, by username. Both sides' every user is read (`*`, shared
 * with other searches of `*`); a side that does not answer is listed in `errors` and no
 * user is compared, since half a comparison would call every user missing.
 */
export async function disagreements(
  registry: ReplicatorRegistry,
  pair: PairInfo,
  query: DisagreementQuery,
  who: Principal,
  timeoutMs: number,
): Promise<DisagreementsAnswer> {
  const sides = pairSides(registry, pair);
  const results = await Promise.allSettled(
    sides.map((r) => bounded(r.keptUsers.get('*'), timeoutMs, r.id)),
  );
  const base = { pair, behindSeconds: query.behindSeconds, at: new Date().toISOString() };

  const errors = results.flatMap((result, i) => {
    if (result.status === 'fulfilled') return [];
    const error = problemFor(toProblem(result.reason), sides[i]!, who)!;
    return [{ replicator: sides[i]!.id, error }];
  });
  if (errors.length > 0) return { ...base, total: 0, disagreements: [], errors };

  const [a, b] = results.map((r) => (r as PromiseFulfilledResult<{ users: UserTable }>).value);
  const all = compareTables(a!.users, b!.users, sides.map((s) => s.id) as [string, string],
    query.behindSeconds).filter((d) => seesUser(who, d.username));
  const page = all.slice(query.offset, query.offset + query.limit);
  return { ...base, total: all.length, disagreements: page, errors: [] };
}

/** Every user of either table on which the two sides disagree, sorted by username. */
export function compareTables(
  a: UserTable,
  b: UserTable,
  ids: [string, string],
  behindSeconds: number,
): Disagreement[] {
  const rowsOfB = new Map<string, number>();
  for (let i = 0; i < b.length; i++) rowsOfB.set(b.username(i), i);

  const found: Disagreement[] = [];
  for (let i = 0; i < a.length; i++) {
    const username = a.username(i);
    const j = rowsOfB.get(username);
    rowsOfB.delete(username);
    const verdict = compareUser(a.row(i), j === undefined ? null : b.row(j), ids, behindSeconds);
    if (verdict !== null) found.push(verdict);
  }
  for (const j of rowsOfB.values()) {
    found.push(compareUser(null, b.row(j), ids, behindSeconds)!);
  }
  return found.sort((x, y) => Buffer.compare(Buffer.from(x.username), Buffer.from(y.username)));
}

/** Whether and why two sides disagree about one user; null when they agree. */
export function compareUser(
  a: UserStatus | null,
  b: UserStatus | null,
  ids: [string, string],
  behindSeconds: number,
): Disagreement | null {
  const username = (a ?? b)!.username;
  const sides: [ReplicatorUser | null, ReplicatorUser | null] = [
    a === null ? null : toApiUser(a),
    b === null ? null : toApiUser(b),
  ];
  const verdict = (reason: Disagreement['reason'], side: 0 | 1, behind: number | null) =>
    ({ username, reason, side: ids[side], behindSeconds: behind, sides });

  if (a === null || b === null) return verdict('missing', a === null ? 0 : 1, null);
  if (a.failed || b.failed) return verdict('failed', a.failed ? 0 : 1, null);

  const [la, lb] = [a.lastSuccessfulSync, b.lastSuccessfulSync];
  // Neither side ever synced it: nothing to compare yet, the queue shows it as never synced.
  if (la === 0 && lb === 0) return null;
  if (la === 0 || lb === 0) return verdict('behind', la === 0 ? 0 : 1, null);
  if (Math.abs(la - lb) <= behindSeconds) return null;
  return verdict('behind', la < lb ? 0 : 1, Math.abs(la - lb));
}
