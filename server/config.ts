/**
 * The server's configuration, read once from the environment and validated, so a typo fails
 * at start with a clear message rather than at the first request.
 */
import path from 'node:path';

import { z } from 'zod';

import {
  loadReplicatorListing,
  type Environment,
  type PairConfig,
  type ReplicatorConfig,
  type ReplicatorListing,
} from './replicators-file';
import { parseAddress } from './replicator/client';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  /** Empty counts as unset, so a listing can be used where the variable is exported. */
  REPLICATOR_SOCKET: z.string().optional(),
  /** A JSON or YAML listing of several replicators; replaces REPLICATOR_SOCKET. */
  REPLICATORS_FILE: z.string().min(1).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  POLL_INTERVAL_MS: positiveInt(1000),
  /** How long one poll of the overview or dsyncs may take before the replicator is "down". */
  POLL_TIMEOUT_MS: positiveInt(1500),
  /** How long a command asked for by a person (search, replicate, ...) may take. */
  COMMAND_TIMEOUT_MS: positiveInt(30_000),
  /** How long a user search result is kept for paging and sorting when nobody watches it. */
  USERS_KEEP_MS: positiveInt(10_000),
  /** A user whose last successful sync is older than this (or who never synced) is stale. */
  STALE_AFTER_SECONDS: positiveInt(2 * 24 * 60 * 60),
  /** How often the stale users are counted: it takes a `STATUS *` of every user. 0: never. */
  STALE_REFRESH_MS: z.coerce.number().int().min(0).default(60_000),
  /** How long each replicator's part of a fleet-wide search or pair comparison may take. */
  FLEET_TIMEOUT_MS: positiveInt(3000),
  /** A pair's sides disagree when their last successful syncs are further apart than this. */
  PAIR_BEHIND_SECONDS: positiveInt(25 * 60 * 60),
  /** Where the accounts, the session secret and the audit database live. */
  DATA_DIR: z.string().min(1).default('./data'),
  AUTH_USERS_FILE: z.string().min(1).optional(),
  /** Seals the session cookies; at least 32 characters. Generated into DATA_DIR if unset. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: positiveInt(60),
  /** A header set by an SSO proxy with the signed-in user's name, e.g. X-Forwarded-User. */
  AUTH_PROXY_HEADER: z.string().min(1).optional(),
  /** A header from the same proxy with the user's groups, comma-separated. */
  AUTH_PROXY_GROUPS_HEADER: z.string().min(1).optional(),
  AUTH_PROXY_ROLES: z.string().default(''),
  /** Addresses or CIDRs whose X-Forwarded-* and proxy headers are believed. */
  AUTH_TRUSTED_PROXIES: z.string().default(''),
  /** PostgreSQL for the audit trail, jobs and history, shared by several instances. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://...').optional(),
  /** Redis for several instances: live events, replicator leases, the live state relay. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://...').optional(),
  /** How long a replicator's poll lease lasts unrenewed; default 1.25 poll intervals. */
  LEASE_MS: z.coerce.number().int().positive().optional(),
  /**
   * `websocket`: browsers connect by WebSocket only, with no HTTP long-polling first, so a
   * load balancer without sticky sessions can spread them over several instances.
   */
  LIVE_TRANSPORT: z.enum(['auto', 'websocket']).default('auto'),
});

export interface ServerConfig {
  replicators: ReplicatorConfig[];
  pairs: PairConfig[];
  host: string;
  port: number;
  pollIntervalMs: number;
  pollTimeoutMs: number;
  commandTimeoutMs: number;
  usersKeepMs: number;
  staleAfterSeconds: number;
  staleRefreshMs: number;
  fleetTimeoutMs: number;
  pairBehindSeconds: number;
  auth: AuthConfig;
  cluster: ClusterConfig;
}

/** Several instances: all unset for one. */
export interface ClusterConfig {
  /** Never logged: it may hold a password. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  leaseMs: number;
  liveTransport: 'auto' | 'websocket';
}

export interface AuthConfig {
  dataDir: string;
  usersFile: string;
  /** Never logged: the config object is not either. */
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  proxyHeader: string | undefined;
  proxyGroupsHeader: string | undefined;
  proxyRoles: string;
  trustedProxies: string;
}

const DEFAULT_SOCKET = '/run/dovecot/replicator-doveadm';

/** The replicator configured by REPLICATOR_SOCKET is called this in the API. */
export const DEFAULT_REPLICATOR_ID = 'default';

/** Reads the configuration; throws an Error listing every bad variable. */
export function loadConfig(env: Environment = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`bad configuration: ${problems.join('; ')}`);
  }

  const e = parsed.data;
  const listing = replicatorListing(e, env);
  return {
    replicators: listing.replicators,
    pairs: listing.pairs,
    host: e.HOST,
    port: e.PORT,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    pollTimeoutMs: e.POLL_TIMEOUT_MS,
    commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
    usersKeepMs: e.USERS_KEEP_MS,
    staleAfterSeconds: e.STALE_AFTER_SECONDS,
    staleRefreshMs: e.STALE_REFRESH_MS,
    fleetTimeoutMs: e.FLEET_TIMEOUT_MS,
    pairBehindSeconds: e.PAIR_BEHIND_SECONDS,
    auth: authConfig(e),
    cluster: clusterConfig(e),
  };
}

function clusterConfig(e: z.output<typeof EnvSchema>): ClusterConfig {
  // Instances that shared live state but wrote jobs and audit rows to files of their own
  // would each show a different trail: several instances need both.
  if (e.REDIS_URL !== undefined && e.DATABASE_URL === undefined) {
    throw new Error('bad configuration: REDIS_URL (several instances) needs DATABASE_URL too');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    leaseMs: e.LEASE_MS ?? Math.round(e.POLL_INTERVAL_MS * 1.25),
    liveTransport: e.LIVE_TRANSPORT,
  };
}

/** REPLICATORS_FILE when given, else the one replicator of REPLICATOR_SOCKET. */
function replicatorListing(
  e: z.output<typeof EnvSchema>,
  env: Environment,
): ReplicatorListing {
  if (e.REPLICATORS_FILE === undefined) {
    const address = parseAddress(e.REPLICATOR_SOCKET || DEFAULT_SOCKET);
    const reach = { kind: 'doveadm-socket' as const, address };
    return { replicators: [{ id: DEFAULT_REPLICATOR_ID, name: 'default', reach }], pairs: [] };
  }

  if (env.REPLICATOR_SOCKET !== undefined && env.REPLICATOR_SOCKET !== '') {
    throw new Error('bad configuration: set REPLICATORS_FILE or REPLICATOR_SOCKET, not both');
  }
  return loadReplicatorListing(path.resolve(e.REPLICATORS_FILE), env);
}

function authConfig(e: z.output<typeof EnvSchema>): AuthConfig {
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    dataDir,
    usersFile: path.resolve(e.AUTH_USERS_FILE ?? path.join(dataDir, 'users.json')),
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    proxyHeader: e.AUTH_PROXY_HEADER,
    proxyGroupsHeader: e.AUTH_PROXY_GROUPS_HEADER,
    proxyRoles: e.AUTH_PROXY_ROLES,
    trustedProxies: e.AUTH_TRUSTED_PROXIES,
  };
}
