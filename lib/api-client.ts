/**
 * Typed calls to the dashboard's HTTP API. Every failure becomes an ApiRequestError carrying
 * the API's code, message and hint, so components can show what the server said.
 */
import type {
  ApiErrorBody,
  DsyncsAnswer,
  Dsync,
  Overview,
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

export interface UsersQuery {
  mask: string;
  offset: number;
  limit: number;
  sort: UserSortField;
  order: 'asc' | 'desc';
}

export interface UserDetail {
  user: ReplicatorUser;
  dsync: Dsync | null;
  at: string;
}

const base = (id: string) => `/api/v1/replicators/${encodeURIComponent(id)}`;

export const api = {
  replicators: () => request<{ replicators: ReplicatorState[] }>('/api/v1/replicators'),
  overview: (id: string) => request<Overview>(`${base(id)}/overview`),
  dsyncs: (id: string) => request<DsyncsAnswer>(`${base(id)}/dsyncs`),

  users: (id: string, query: UsersQuery) => {
    const params = new URLSearchParams({
      mask: query.mask,
      offset: String(query.offset),
      limit: String(query.limit),
      sort: query.sort,
      order: query.order,
    });
    return request<UsersPage>(`${base(id)}/users?${params}`);
  },

  user: (id: string, username: string) =>
    request<UserDetail>(`${base(id)}/users/${encodeURIComponent(username)}`),

  replicate: (id: string, body: { mask: string; priority: RequestPriority; full: boolean }) =>
    request<{ updated: number }>(`${base(id)}/replicate`, jsonBody('POST', body)),

  add: (id: string, mask: string) =>
    request<{ ok: true }>(`${base(id)}/users`, jsonBody('POST', { mask })),

  remove: (id: string, username: string) =>
    request<{ ok: true }>(`${base(id)}/users/${encodeURIComponent(username)}`, {
      method: 'DELETE',
    }),
};

function jsonBody(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: 'no-store' });
  } catch (cause) {
    throw new ApiRequestError(0, 'dashboard_unreachable', 'dashboard server unreachable', null, {
      cause,
    });
  }
  if (!response.ok) throw await errorFrom(response);
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
