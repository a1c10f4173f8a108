/**
 * The frame every API route handler shares: say who is asking and whether they may, find
 * the replicator, parse and validate the input, call one query or action, answer JSON, and
 * turn any failure into an API error. Each route states the permission it needs once.
 */
import type { z } from 'zod';

import type { AuditAction } from '@/lib/api-types';

import { ActionAudit } from '../audit/action-audit';
import { addressesFor } from '../auth/addresses';
import { decide, type Permission } from '../auth/policy';
import { fromHeaders, isMutating } from '../auth/request-info';
import type { Identity, Refusal } from '../auth/service';
import type { Replicator } from '../replicators';
import type { PairConfig } from '../replicators-file';
import { getRuntime } from '../runtime';
import { ApiError, describeError, errorResponse } from './api-error';
import { Username, describeIssues } from './schemas';

/** Bodies of state-changing requests are small JSON objects; anything larger is refused. */
export const MAX_BODY_BYTES = 16 * 1024;

type Params = Record<string, string>;
type Context<P extends Params> = { params: Promise<P> };
type Handler<P extends Params> = (request: Request, params: P, who: Identity) => Promise<unknown>;
type ActionHandler<P extends Params> = (
  request: Request,
  params: P,
  audit: ActionAudit,
) => Promise<unknown>;

/**
 * Wraps a handler that needs `permission`: its result is the 200 JSON answer, its failures
 * become API errors. No identity is a 401; a role without the permission a 403.
 */
export function apiRoute<P extends Params>(permission: Permission, handler: Handler<P>) {
  return framed<P>(async (request, params, who) => {
    const decision = decide(who, permission);
    if (!decision.ok) throw new ApiError(403, 'forbidden', decision.message);
    return handler(request, params, who);
  });
}

/**
 * Wraps a replicate, add or remove handler. `permission` is the least the route needs; the
 * handler passes the action through `audit.run`, which checks the mask itself. Every request
 * that got past authentication leaves one audit row, refusals included.
 */
export function actionRoute<P extends Params>(
  action: AuditAction,
  permission: Permission,
  handler: ActionHandler<P>,
) {
  return framed<P>(async (request, params, who) => {
    const fallback = { replicator: params.id ?? null, mask: await peekMask(request, params) };
    const audit = new ActionAudit(getRuntime().audit, who, action, fallback);
    try {
      const decision = decide(who, permission);
      if (!decision.ok) throw new ApiError(403, 'forbidden', decision.message);
      return await handler(request, params, audit);
    } catch (error) {
      const { body } = describeError(error);
      await audit.refuse(body.error.code, body.error.message);
      throw error;
    }
  }, async (request, params, who, refusal) => {
    const fallback = { replicator: params.id ?? null, mask: await peekMask(request, params) };
    await new ActionAudit(getRuntime().audit, who, action, fallback)
      .refuse(refusal.code, refusal.message);
  });
}

/**
 * A route anybody may call (signing in): only the cross-origin check for changes, and the
 * error answers. The handler returns the answer itself, to set its own cookie.
 */
export function publicRoute(handler: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      const info = fromHeaders(request.headers);
      if (isMutating(request.method) && getRuntime().auth.isCrossOrigin(info)) {
        return refusalResponse(crossOrigin());
      }
      return await handler(request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The answer for an authentication refusal, with Retry-After when it has one. */
export function refusalResponse(refusal: Refusal): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (refusal.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(refusal.retryAfterSeconds);
  }
  const body = { error: { code: refusal.code, message: refusal.message } };
  return Response.json(body, { status: refusal.status, headers });
}

type OnCrossOrigin<P extends Params> = (
  request: Request,
  params: P,
  who: Identity,
  refusal: Refusal,
) => Promise<void>;

/** Authentication, the cross-origin check, the JSON answer and its renewed cookie. */
function framed<P extends Params>(handler: Handler<P>, onCrossOrigin?: OnCrossOrigin<P>) {
  return async (request: Request, context: Context<P>): Promise<Response> => {
    let who: Identity | null = null;
    try {
      const { auth } = getRuntime();
      const info = fromHeaders(request.headers);
      const outcome = await auth.authenticate(info);
      if (outcome.kind === 'refused') return refusalResponse(outcome);
      if (outcome.kind === 'anonymous') return refusalResponse(unauthorized());
      who = outcome.identity;

      const params = await context.params;
      if (isMutating(request.method) && auth.isCrossOrigin(info)) {
        await onCrossOrigin?.(request, params, outcome.identity, crossOrigin());
        return refusalResponse(crossOrigin());
      }
      const result = await handler(request, params, outcome.identity);
      return withCookie(answer(result), outcome.setCookie);
    } catch (error) {
      const replicators = getRuntime().replicators.all();
      return errorResponse(error, (body) => addressesFor(who, body, replicators));
    }
  };
}

function answer(result: unknown): Response {
  if (result instanceof Response) return result;
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
}

/** Adds a renewed session cookie, unless the handler set one (signing out clears it). */
function withCookie(response: Response, setCookie: string | null): Response {
  if (setCookie !== null && !response.headers.has('Set-Cookie')) {
    response.headers.append('Set-Cookie', setCookie);
  }
  return response;
}

function unauthorized(): Refusal {
  return { kind: 'refused', status: 401, code: 'unauthorized', message: 'sign in first' };
}

function crossOrigin(): Refusal {
  const message = 'a change must come from the dashboard itself, not from another site';
  return { kind: 'refused', status: 403, code: 'cross_origin', message };
}

/** The mask a refused action was about, for its audit row: from the path or the body. */
async function peekMask(request: Request, params: Params): Promise<string | null> {
  if (params.username !== undefined) return params.username;
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (!(declared <= MAX_BODY_BYTES)) return null;
  try {
    const body = (await request.clone().json()) as { mask?: unknown };
    return typeof body.mask === 'string' ? body.mask.slice(0, 1024) : null;
  } catch {
    return null;
  }
}

/** The replicator named in the path, or a 404. */
export function replicatorFrom(params: { id: string }): Replicator {
  const replicator = getRuntime().replicators.get(params.id);
  if (replicator === undefined) {
    throw new ApiError(404, 'unknown_replicator', `no replicator called ${params.id}`);
  }
  return replicator;
}

/** The two-way pair named in the path, or a 404. */
export function pairFrom(params: { id: string }): PairConfig {
  const pair = getRuntime().replicators.pairs().find((p) => p.id === params.id);
  if (pair === undefined) throw new ApiError(404, 'unknown_pair', `no pair called ${params.id}`);
  return pair;
}

/** Validates query parameters against a schema; a mismatch is a 400. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return validate(schema, strictQuery(new URL(request.url).search));
}

/**
 * The query's parameters (the last of a repeated name wins). Unlike URLSearchParams, a bad
 * percent-encoding or invalid UTF-8 is refused, not turned into other text: a mask must
 * reach the replicator as the person typed it, or not at all.
 */
function strictQuery(search: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of search.slice(1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    params[decodeStrictly(name)] = equals < 0 ? '' : decodeStrictly(pair.slice(equals + 1));
  }
  return params;
}

function decodeStrictly(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    const why = 'the query holds a bad percent-encoding or invalid UTF-8';
    throw new ApiError(400, 'bad_request', why);
  }
}

/** Reads a JSON body (size-limited, JSON only) and validates it; a mismatch is a 400. */
export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
  }

  const text = await readLimited(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  }
  return validate(schema, body);
}

/** The username named in the path (Next has decoded it once), validated like a mask. */
export function usernameFrom(params: { username: string }): string {
  return validate(Username, params.username);
}

function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ApiError(400, 'bad_request', describeIssues(parsed.error));
  return parsed.data;
}

async function readLimited(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();

  const bytes = await readAtMost(request, MAX_BODY_BYTES);
  // Not UTF-8 is refused, not turned into U+FFFD: the replicator would get another name.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid UTF-8');
  }
}

/**
 * The body, read only up to `limit` bytes: a body sent without a length (chunked) used to
 * be read whole before its size was checked, so one request (the sign-in route needs no
 * account) could make this process hold gigabytes.
 */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array> {
  const reader = request.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    length += part.value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): ApiError {
  return new ApiError(413, 'body_too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
}
