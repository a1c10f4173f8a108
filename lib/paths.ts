/** The dashboard's own URLs, built in one place so links and redirects agree. */
import type { UsersFilter } from './api-client';
import { PRIORITIES, USER_SORT_FIELDS, type UserSortField } from './api-types';

export const DEFAULT_REPLICATOR = 'default';

export function replicatorPath(id: string): string {
  return `/r/${encodeURIComponent(id)}`;
}

/** The replicate jobs started on a replicator, and one of them. */
export function jobsPath(id: string): string {
  return `${replicatorPath(id)}/jobs`;
}

export function jobPath(id: string, jobId: string): string {
  return `${jobsPath(id)}/${encodeURIComponent(jobId)}`;
}

/** A user's page; the name is one encoded path segment, so any byte survives a ticket. */
export function userPath(id: string, username: string): string {
  return `${replicatorPath(id)}/users/${encodeURIComponent(username)}`;
}

/** A users search as its URL says it: the mask, the server-side sort and the filters. */
export interface UsersSearch extends UsersFilter {
  mask: string | null;
  sort: UserSortField;
  order: 'asc' | 'desc';
}

/** The users list for a search; defaults are left out so shared links stay short. */
export function usersPath(id: string, search: Partial<UsersSearch> = {}): string {
  const params = new URLSearchParams();
  if (search.mask != null) params.set('mask', search.mask);
  if (search.sort !== undefined && search.sort !== 'username') params.set('sort', search.sort);
  if (search.order === 'desc') params.set('order', 'desc');
  // The same names and values as the API's, so a list's URL tells what it asked for.
  if (search.failed !== undefined) params.set('failed', String(search.failed));
  if (search.priority !== undefined) params.set('priority', search.priority);
  if (search.staleSeconds !== undefined) params.set('staleSeconds', String(search.staleSeconds));

  const query = params.toString();
  return `${replicatorPath(id)}/users${query === '' ? '' : `?${query}`}`;
}

type Params = { get(name: string): string | null };

/** Reads a users search from the URL; anything unknown falls back to the default. */
export function parseUsersSearch(params: Params): UsersSearch {
  const mask = params.get('mask');
  const sort = params.get('sort');
  return {
    mask: mask === null || mask === '' ? null : mask,
    sort: isSortField(sort) ? sort : 'username',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    ...parseUsersFilter(params),
  };
}

/** The filters of a users URL; an unknown value means no filter, as a missing one does. */
function parseUsersFilter(params: Params): UsersFilter {
  const priority = params.get('priority');
  const stale = params.get('staleSeconds');
  return {
    // The page offers "failed only"; the API's failed=false is not one of its choices.
    failed: params.get('failed') === 'true' ? true : undefined,
    priority: PRIORITIES.find((known) => known === priority),
    staleSeconds: stale !== null && /^\d{1,12}$/.test(stale) ? Number(stale) : undefined,
  };
}

function isSortField(value: string | null): value is UserSortField {
  return (USER_SORT_FIELDS as readonly (string | null)[]).includes(value);
}

/**
 * A dynamic route segment as the page gets it: still percent-encoded, as the URL has it.
 * Decoded exactly once, so a name holding "%" survives; a malformed escape is kept as is.
 */
export function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The login page, remembering the dashboard address to return to. */
export function loginPath(next: string): string {
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * Where to go after signing in: only a path of this dashboard, never another site
 * (`//evil.example` and `/\\evil.example` are other sites to a browser).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (next == null || !next.startsWith('/') || next.startsWith('//')) return '/';
  return next.startsWith('/\\') ? '/' : next;
}

export function auditPath(id: string, filters: Record<string, string> = {}): string {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  const text = query.toString();
  return `${replicatorPath(id)}/audit${text === '' ? '' : `?${text}`}`;
}
