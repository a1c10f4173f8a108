/**
 * The frame every API route handler shares: find the replicator, parse and validate the
 * input, call one query or action, answer JSON, and turn any failure into an API error.
 */
import type { z } from 'zod';

import type { Replicator } from '../replicators';
import { getRuntime } from '../runtime';
import { ApiError, errorResponse } from './api-error';
import { Username, describeIssues } from './schemas';

/** Bodies of state-changing requests are small JSON objects; anything larger is refused. */
export const MAX_BODY_BYTES = 16 * 1024;

type Params = Record<string, string>;
type Context<P extends Params> = { params: Promise<P> };
type Handler<P extends Params> = (request: Request, params: P) => Promise<unknown>;

/** Wraps a handler: its result is the 200 JSON answer, its failures become API errors. */
export function apiRoute<P extends Params>(handler: Handler<P>) {
  return async (request: Request, context: Context<P>): Promise<Response> => {
    try {
      const result = await handler(request, await context.params);
      return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The replicator named in the path, or a 404. */
export function replicatorFrom(params: { id: string }): Replicator {
  const replicator = getRuntime().replicators.get(params.id);
  if (replicator === undefined) {
    throw new ApiError(404, 'unknown_replicator', `no replicator called ${params.id}`);
  }
  return replicator;
}

/** Validates query parameters against a schema; a mismatch is a 400. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return validate(schema, params);
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

  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function tooLarge(): ApiError {
  return new ApiError(413, 'body_too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
}
