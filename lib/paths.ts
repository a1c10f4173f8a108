/** The dashboard's own URLs, built in one place so links and redirects agree. */
import { USER_SORT_FIELDS, type UserSortField } from './api-types';

export const DEFAULT_REPLICATOR = 'default';

export function replicatorPath(id: string): string {
  return `/r/${encodeURIComponent(id)}`;
}

/** A user's page; the name is one encoded path segment, so any byte survives a ticket. */
export function userPath(id: string, username: string): string {
  return `${replicatorPath(id)}/users/${encodeURIComponent(username)}`;
}

export interface UsersSearch {
  mask: string | null;
  sort: UserSortField;
  order: 'asc' | 'desc';
  offset: number;
}

/** The users list for a search; defaults are left out so shared links stay short. */
export function usersPath(id: string, search: Partial<UsersSearch> = {}): string {
  const params = new URLSearchParams();
  if (search.mask != null) params.set('mask', search.mask);
  if (search.sort !== undefined && search.sort !== 'username') params.set('sort', search.sort);
  if (search.order === 'desc') params.set('order', 'desc');
  if ((search.offset ?? 0) > 0) params.set('offset', String(search.offset));

  const query = params.toString();
  return `${replicatorPath(id)}/users${query === '' ? '' : `?${query}`}`;
}

/** Reads a users search from the URL; anything unknown falls back to the default. */
export function parseUsersSearch(params: { get(name: string): string | null }): UsersSearch {
  const mask = params.get('mask');
  const sort = params.get('sort');
  const offset = Number.parseInt(params.get('offset') ?? '0', 10);
  return {
    mask: mask === null || mask === '' ? null : mask,
    sort: isSortField(sort) ? sort : 'username',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    offset: Number.isSafeInteger(offset) && offset > 0 ? offset : 0,
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
