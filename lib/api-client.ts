/**
 * Typed calls to the dashboard's HTTP API. Every failure becomes an ApiRequestError carrying
 * the API's code, message and hint, so components can show what the server said.
 */
import type {
  ApiErrorBody,
  AuditPage,
  SessionInfo,
  DsyncsAnswer,
  Dsync,
  HistoryAnswer,
  JobDetail,
  JobSummary,
  JobUserState,
  HistoryRange,
  Overview,
  Priority,
  ReplicatorState,
  ReplicatorUser,
  RequestPriority,
  UserSortField,
  UsersPage,
} from './api-types';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    /** The HTTP status; 0 when the dashboard server itself could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A state-changing request went out but its answer was lost: it may or may not be done. */
export function isOutcomeUnknown(error: unknown): boolean {
  return error instanceof ApiRequestError && error.code === 'outcome_unknown';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 404;
}

/** Narrows a mask's users; a field left out does not filter. */
export interface UsersFilter {
  failed?: boolean;
  priority?: Priority;
  /** Only users whose last successful sync is older than this many seconds, or never. */
  staleSeconds?: number;
}

export interface UsersQuery extends UsersFilter {
  mask: string;
  offset: number;
  limit: number;
  sort: UserSortField;
  order: 'asc' | 'desc';
  /** Ask the replicator again rather than answer from a kept result. */
  fresh?: boolean;
}

export interface UserDetail {
  user: ReplicatorUser;
  dsync: Dsync | null;
  /** Fields the replicator's transport cannot tell (null in `user` means unknown). */
  unknownFields?: UserSortField[];
  at: string;
}

const base = (id: string) => `/api/v1/replicators/${encodeURIComponent(id)}`;

export const api = {
  replicators: () => request<{ replicators: ReplicatorState[] }>('/api/v1/replicators'),
  overview: (id: string) => request<Overview>(`${base(id)}/overview`),
  dsyncs: (id: string) => request<DsyncsAnswer>(`${base(id)}/dsyncs`),
  jobs: () => request<{ jobs: JobSummary[]; total: number }>('/api/v1/jobs?limit=200'),
  job: (jobId: string, state: JobUserState | undefined, offset: number) => {
    const params = new URLSearchParams({ offset: String(offset), limit: '100' });
    if (state !== undefined) params.set('state', state);
    return request<JobDetail>(`/api/v1/jobs/${encodeURIComponent(jobId)}?${params}`);
  },
  stale: (id: string) => request<{
    staleAfterSeconds: number; count: number | null; at: string | null; counting: boolean;
  }>(`${base(id)}/stale`),
  history: (id: string, range: HistoryRange) =>
    request<HistoryAnswer>(`${base(id)}/history?range=${range}`),

  users: (id: string, query: UsersQuery) => {
    const params = new URLSearchParams({
      mask: query.mask,
      offset: String(query.offset),
      limit: String(query.limit),
      sort: query.sort,
      order: query.order,
    });
    if (query.failed !== undefined) params.set('failed', String(query.failed));
    if (query.priority !== undefined) params.set('priority', query.priority);
    if (query.staleSeconds !== undefined) params.set('staleSeconds', String(query.staleSeconds));
    if (query.fresh === true) params.set('fresh', 'true');
    return request<UsersPage>(`${base(id)}/users?${params}`);
  },

  user: (id: string, username: string) =>
    request<UserDetail>(`${base(id)}/users/${encodeURIComponent(username)}`),

  replicate: (id: string, body: { mask: string; priority: RequestPriority; full: boolean }) =>
    request<{ updated: number; jobId: string }>(`${base(id)}/replicate`, jsonBody('POST', body)),

  add: (id: string, mask: string) =>
    request<{ ok: true }>(`${base(id)}/users`, jsonBody('POST', { mask })),

  remove: (id: string, username: string) =>
    request<{ ok: true }>(`${base(id)}/users/${encodeURIComponent(username)}`, {
      method: 'DELETE',
    }),

  signIn: (name: string, password: string) =>
    request<SessionInfo>('/api/v1/session', jsonBody('POST', { name, password })),
  signOut: () => request<{ ok: true }>('/api/v1/session', { method: 'DELETE' }),

  /** Filters are the audit page's search parameters, passed on as they are. */
  audit: (filters: URLSearchParams) => request<AuditPage>(`/api/v1/audit?${filters}`),
};

/** Called when an answer says the session is gone; the app sends the browser to sign in. */
let onSignedOut: () => void = () => undefined;

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

function jsonBody(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: 'no-store' });
  } catch (cause) {
    throw new ApiRequestError(0, 'dashboard_unreachable', 'dashboard server unreachable', null, {
      cause,
    });
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (error.code === 'unauthorized') onSignedOut();
    throw error;
  }
  return (await response.json()) as T;
}

/** The API's error JSON; a proxy's HTML error page still yields a readable error. */
async function errorFrom(response: Response): Promise<ApiRequestError> {
  const text = await response.text();
  try {
    const { error } = JSON.parse(text) as ApiErrorBody;
    return new ApiRequestError(response.status, error.code, error.message, error.hint ?? null);
  } catch (cause) {
    const message = `HTTP ${response.status} ${response.statusText}`.trim();
    return new ApiRequestError(response.status, 'http_error', message, null, { cause });
  }
}
