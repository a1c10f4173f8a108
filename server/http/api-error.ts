/**
 * Errors as the HTTP API answers them: `{"error": {"code", "message", "hint"?}}` with a
 * status that says whose fault it is (400 the request, 404 unknown thing, 502 the replicator
 * misbehaved, 503 it is unreachable, 504 it timed out).
 */
import type { ApiErrorBody } from '@/lib/api-types';

import { moduleLogger } from '../log';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const STATUS_BY_REPLICATOR_CODE: Record<string, number> = {
  no_such_socket: 503,
  permission_denied: 503,
  connection_refused: 503,
  unreachable: 503,
  timeout: 504,
  not_a_replicator: 502,
  disconnected: 502,
  protocol_error: 502,
  refused: 502,
  auth_failed: 502,
  user_not_found: 404,
};

const log = moduleLogger('api');

/**
 * The answer for any error a route let through; unknown errors are logged, never shown.
 * `shown` may take out what the asker must not read (replicator addresses).
 */
export function errorResponse(
  error: unknown,
  shown: (body: ApiErrorBody) => ApiErrorBody = (body) => body,
): Response {
  const { status, body } = describeError(error);
  if (status >= 500 && body.error.code === 'internal') log.error({ err: error }, 'route failed');
  return Response.json(shown(body), { status });
}

/** The status and body for an error; replicator errors are recognised by shape. */
export function describeError(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError) {
    return { status: error.status, body: errorBody(error.code, error.message, error.hint) };
  }
  if (isReplicatorError(error)) {
    const hint = error.hint ?? undefined;
    return { status: replicatorStatus(error), body: errorBody(error.code, error.message, hint) };
  }
  return { status: 500, body: errorBody('internal', 'internal error; see the server log') };
}

interface ReplicatorErrorShape extends Error {
  code: string;
  hint: string | null;
  cause?: unknown;
}

/**
 * Next bundles route handlers apart from the custom server, so `instanceof` cannot see a
 * ReplicatorError thrown by the server's client; its name and code identify it instead.
 */
function isReplicatorError(error: unknown): error is ReplicatorErrorShape {
  return (
    error instanceof Error &&
    error.name === 'ReplicatorError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

function replicatorStatus(error: ReplicatorErrorShape): number {
  if (error.code === 'outcome_unknown') {
    const cause = error.cause as { code?: string } | undefined;
    return cause?.code === 'timeout' ? 504 : 502;
  }
  return STATUS_BY_REPLICATOR_CODE[error.code] ?? 502;
}

function errorBody(code: string, message: string, hint?: string): ApiErrorBody {
  return { error: hint === undefined ? { code, message } : { code, message, hint } };
}
