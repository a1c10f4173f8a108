/**
 * The audit page's filters: kept in the URL (so a filtered trail is a link) in the form the
 * inputs use, and turned into the API's query, where times are UTC ISO strings.
 */
import { useQuery } from '@tanstack/react-query';

import { api } from './api-client';

export const AUDIT_PAGE_SIZE = 100;

export interface AuditFilters {
  actor: string;
  action: string;
  /** As a datetime-local input holds it: local time, no zone. */
  since: string;
  until: string;
  offset: number;
}

export function parseAuditFilters(params: { get(name: string): string | null }): AuditFilters {
  const offset = Number.parseInt(params.get('offset') ?? '0', 10);
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
    offset: Number.isSafeInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The API's query for the filters; without paging for the CSV export. */
export function auditApiQuery(filters: AuditFilters, paged = true): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.actor !== '') query.set('actor', filters.actor);
  if (filters.action !== '') query.set('action', filters.action);
  if (filters.since !== '') query.set('since', localToIso(filters.since));
  if (filters.until !== '') query.set('until', localToIso(filters.until, 59_999));
  if (paged) {
    query.set('offset', String(filters.offset));
    query.set('limit', String(AUDIT_PAGE_SIZE));
  }
  return query;
}

/** A datetime-local value in this browser's zone as UTC; `extraMs` makes "until" inclusive. */
function localToIso(local: string, extraMs = 0): string {
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? local : new Date(time + extraMs).toISOString();
}

export function useAuditPage(filters: AuditFilters) {
  const query = auditApiQuery(filters);
  return useQuery({
    queryKey: ['audit', query.toString()],
    queryFn: () => api.audit(query),
    placeholderData: (previous) => previous,
  });
}
