/**
 * The listing of replicators (REPLICATORS_FILE, JSON or YAML): which replicators the dashboard
 * shows, how each is reached, and which two form a two-way pair. Secrets for the doveadm HTTP
 * API never sit in the listing itself: it names an environment variable or a file, and the
 * secret is read from there at start, so the listing can be kept in version control.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { parseAddress, type ReplicatorAddress } from './replicator/client';

/** Environment variables, as process.env holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** How the dashboard reaches one replicator. */
export type ReplicatorReach =
  | { kind: 'doveadm-socket'; address: ReplicatorAddress }
  | { kind: 'doveadm-http'; url: string; authorization: string };

export interface ReplicatorConfig {
  id: string;
  name: string;
  reach: ReplicatorReach;
}

/** The two replicators of a two-way (master-master) pair: each side runs its own. */
export interface PairConfig {
  id: string;
  name: string;
  replicators: [string, string];
}

export interface ReplicatorListing {
  replicators: ReplicatorConfig[];
  pairs: PairConfig[];
}

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 of a-z, 0-9, "_" and "-", starting alnum');

const SecretSource = z
  .object({
    env: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => (s.env === undefined) !== (s.file === undefined), {
    message: 'give exactly one of "env" (a variable name) or "file" (a path)',
  });

const HttpReach = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** doveadm_api_key, sent as `X-Dovecot-API`. */
    apiKey: SecretSource.optional(),
    /** doveadm_password, sent with HTTP Basic as user `doveadm`. */
    password: SecretSource.optional(),
  })
  .strict()
  .refine((h) => (h.apiKey === undefined) !== (h.password === undefined), {
    message: 'give exactly one of "apiKey" or "password", each as { env } or { file }',
  });

const ReplicatorEntry = z
  .object({
    id: Id,
    name: z.string().min(1).max(100).optional(),
    /** The replicator-doveadm UNIX socket. */
    socket: z.string().min(1).optional(),
    /** host:port of the replicator's `inet_listener replicator-doveadm`. */
    inet: z.string().regex(/^(\[[^\]]+\]|[^/:\s]+):\d{1,5}$/, 'expected host:port').optional(),
    /** The doveadm HTTP API of the backend that runs the replicator. */
    http: HttpReach.optional(),
  })
  .strict()
  .refine((r) => [r.socket, r.inet, r.http].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of "socket", "inet" or "http"',
  });

const PairEntry = z
  .object({
    id: Id,
    name: z.string().min(1).max(100).optional(),
    replicators: z.tuple([Id, Id]),
  })
  .strict();

const ListingSchema = z
  .object({
    replicators: z.array(ReplicatorEntry).min(1, 'list at least one replicator'),
    pairs: z.array(PairEntry).default([]),
  })
  .strict();

type ListingInput = z.output<typeof ListingSchema>;

/** Reads and validates a listing; throws an Error that names the file and every problem. */
export function loadReplicatorListing(
  file: string,
  env: Environment = process.env,
): ReplicatorListing {
  const input = validate(file, parseListingText(file, readFileSync(file, 'utf8')));

  const problems = crossCheck(input);
  if (problems.length > 0) throw listingError(file, problems);

  const secretProblems: string[] = [];
  const replicators = input.replicators.map((entry, index) =>
    toReplicatorConfig(entry, index, { file, env, problems: secretProblems }),
  );
  if (secretProblems.length > 0) throw listingError(file, secretProblems);

  return { replicators, pairs: input.pairs.map(toPairConfig) };
}

function parseListingText(file: string, text: string): unknown {
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw listingError(file, [`not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${
      (err as Error).message}`]);
  }
}

function validate(file: string, data: unknown): ListingInput {
  const parsed = ListingSchema.safeParse(data);
  if (parsed.success) return parsed.data;

  throw listingError(
    file,
    parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`),
  );
}

/** What one entry alone cannot show: repeated ids and pairs of unknown replicators. */
function crossCheck(input: ListingInput): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  input.replicators.forEach((r, i) => {
    if (ids.has(r.id)) problems.push(`replicators.${i}.id: "${r.id}" is listed twice`);
    ids.add(r.id);
  });

  input.pairs.forEach((p, i) => {
    for (const side of p.replicators) {
      if (!ids.has(side)) problems.push(`pairs.${i}: no replicator "${side}" is listed`);
    }
    if (p.replicators[0] === p.replicators[1]) {
      problems.push(`pairs.${i}: a pair needs two different replicators`);
    }
  });
  return problems;
}

interface SecretContext {
  file: string;
  env: Environment;
  problems: string[];
}

function toReplicatorConfig(
  entry: ListingInput['replicators'][number],
  index: number,
  ctx: SecretContext,
): ReplicatorConfig {
  const name = entry.name ?? entry.id;
  if (entry.http !== undefined) {
    const where = `replicators.${index}.http`;
    return { id: entry.id, name, reach: httpReach(entry.http, where, ctx) };
  }

  const address = parseAddress((entry.socket ?? entry.inet)!);
  return { id: entry.id, name, reach: { kind: 'doveadm-socket', address } };
}

function httpReach(
  http: NonNullable<ListingInput['replicators'][number]['http']>,
  where: string,
  ctx: SecretContext,
): ReplicatorReach {
  const url = http.url.replace(/\/+$/, '');
  if (http.apiKey !== undefined) {
    const key = readSecret(http.apiKey, `${where}.apiKey`, ctx);
    return { kind: 'doveadm-http', url, authorization: `X-Dovecot-API ${base64(key)}` };
  }

  const password = readSecret(http.password!, `${where}.password`, ctx);
  return { kind: 'doveadm-http', url, authorization: `Basic ${base64(`doveadm:${password}`)}` };
}

function readSecret(
  source: { env?: string | undefined; file?: string | undefined },
  where: string,
  ctx: SecretContext,
): string {
  if (source.env !== undefined) {
    const value = ctx.env[source.env];
    if (value === undefined || value === '') {
      ctx.problems.push(`${where}: environment variable ${source.env} is not set`);
    }
    return value ?? '';
  }

  const secretPath = path.resolve(path.dirname(ctx.file), source.file!);
  try {
    return readFileSync(secretPath, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    ctx.problems.push(`${where}: cannot read ${secretPath}: ${code}`);
    return '';
  }
}

function toPairConfig(entry: ListingInput['pairs'][number]): PairConfig {
  return { id: entry.id, name: entry.name ?? entry.id, replicators: entry.replicators };
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function listingError(file: string, problems: string[]): Error {
  return new Error(`bad REPLICATORS_FILE ${file}: ${problems.join('; ')}`);
}
