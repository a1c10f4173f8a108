/**
 * What a domain-limited account sees: only its domains' users, in searches, user pages,
 * dsync slots and live rows. Results are filtered after the replicator answered the mask as
 * asked; no other mask is sent for them, so `*` means "all users of my domains". Jobs
 * are shown when their mask stays within the domains.
 */
import type { DsyncsAnswer, UsersPage } from '@/lib/api-types';

import type { JobTracker } from '../jobs/tracker';
import type { UserTable, UserView } from '../live/user-table';
import type { Replicator } from '../replicators';
import type { UserStatus } from '../replicator/answers';
import { toApiUser } from '../shapes';
import { inDomains, maskWithinDomains, seesUser, type Principal } from './policy';

export interface PageQuery extends UserView {
  offset: number;
  limit: number;
}

/** Filtered views, kept with their table like the table keeps its own views. */
const keptViews = new WeakMap<UserTable, Map<string, Uint32Array>>();
const MAX_KEPT = 16;

/** One page of a mask's users within some domains, from the kept search result. */
export async function searchWithin(
  replicator: Replicator,
  mask: string,
  query: PageQuery,
  domains: readonly string[],
  fresh = false,
): Promise<UsersPage> {
  const kept = await replicator.keptUsers.search(mask, fresh);
  const page = pageWithin(kept.users, query, domains, new Date());
  const unknownFields = [...replicator.client.limits.unknownUserFields];
  const users = page.users.map(toApiUser);
  return { total: page.total, users, unknownFields, at: kept.at.toISOString() };
}

/** Like pageUsers, with only the rows whose domain is one of `domains`. */
export function pageWithin(
  table: UserTable,
  query: PageQuery,
  domains: readonly string[],
  now: Date,
): { total: number; users: UserStatus[] } {
  const rows = viewWithin(table, query, domains, Math.floor(now.getTime() / 1000));
  const page = rows.subarray(query.offset, query.offset + query.limit);
  return { total: rows.length, users: Array.from(page, (row) => table.row(row)) };
}

function viewWithin(
  table: UserTable,
  view: UserView,
  domains: readonly string[],
  nowSeconds: number,
): Uint32Array {
  const key = JSON.stringify([view.sort, view.order, view.filter, domains]);
  const views = keptViews.get(table) ?? new Map<string, Uint32Array>();
  keptViews.set(table, views);
  const kept = views.get(key);
  if (kept !== undefined) return kept;

  const rows = table.view(view, nowSeconds).filter((row) =>
    inDomains(table.username(row), domains),
  );
  if (views.size >= MAX_KEPT) views.delete(views.keys().next().value!);
  views.set(key, rows);
  return rows;
}

/** The dsync slots a principal may see: other domains' running syncs are left out. */
export function visibleDsyncs<T extends Pick<DsyncsAnswer, 'dsyncs'>>(who: Principal, answer: T) {
  if (who.domains === null) return answer;
  const dsyncs = answer.dsyncs.filter((d) => d.username === null || seesUser(who, d.username));
  return { ...answer, dsyncs };
}

/** How many of the newest jobs a domain-limited account's list is cut from. */
const JOBS_SCANNED = 10_000;

/**
 * Jobs a principal may see: all, or those whose mask stays within its domains. The store
 * pages all jobs, so a limited account's page is cut from the newest ones after filtering.
 */
export async function visibleJobs(
  who: Principal,
  jobs: JobTracker,
  offset: number,
  limit: number,
) {
  if (who.domains === null) return jobs.list(offset, limit);
  const newest = await jobs.list(0, JOBS_SCANNED);
  const own = newest.jobs.filter((job) => maskWithinDomains(who, job.mask));
  return { jobs: own.slice(offset, offset + limit), total: own.length };
}
