/**
 * The server's configuration, read once from the environment and validated, so a typo fails
 * at start with a clear message rather than at the first request.
 */
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  REPLICATOR_SOCKET: z.string().min(1).default('/run/dovecot/replicator-doveadm'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  POLL_INTERVAL_MS: positiveInt(1000),
  /** How long one poll of the overview or dsyncs may take before the replicator is "down". */
  POLL_TIMEOUT_MS: positiveInt(1500),
  /** How long a command asked for by a person (search, replicate, ...) may take. */
  COMMAND_TIMEOUT_MS: positiveInt(30_000),
  /** How long a user search result is kept for paging and sorting when nobody watches it. */
  USERS_KEEP_MS: positiveInt(10_000),
});

export interface ServerConfig {
  replicators: { id: string; address: string }[];
  host: string;
  port: number;
  pollIntervalMs: number;
  pollTimeoutMs: number;
  commandTimeoutMs: number;
  usersKeepMs: number;
}

/** The replicator configured by REPLICATOR_SOCKET is called this in the API. */
export const DEFAULT_REPLICATOR_ID = 'default';

/** Reads the configuration; throws an Error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`bad configuration: ${problems.join('; ')}`);
  }

  const e = parsed.data;
  return {
    replicators: [{ id: DEFAULT_REPLICATOR_ID, address: e.REPLICATOR_SOCKET }],
    host: e.HOST,
    port: e.PORT,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    pollTimeoutMs: e.POLL_TIMEOUT_MS,
    commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
    usersKeepMs: e.USERS_KEEP_MS,
  };
}
