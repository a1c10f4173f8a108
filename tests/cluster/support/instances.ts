/**
 * Dashboard instances for the several-instances tests: the production build run by
 * server/main.ts, each on its own port and data folder, all sharing Redis, PostgreSQL, the
 * accounts and the session secret. Helpers read what they did from /metrics and Redis.
 */
import { inject } from 'vitest';
import { Redis } from 'ioredis';

import { makeDataDir, startDashboard, type RunningServer } from
  '../../integration/support/server';

/** Ports for the instances; CLUSTER_PORTS overrides (comma-separated). */
export const PORTS = (process.env.CLUSTER_PORTS ?? '3121,3122,3123').split(',').map(Number);

export const LEASE_PREFIX = 'replicator-dashboard:lease:';

export function startInstance(
  port: number,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  // npm test exports the project pair's socket; REPLICATORS_FILE must be the only listing.
  delete process.env.REPLICATOR_SOCKET;
  const logLevel = process.env.CLUSTER_LOG_LEVEL ?? 'warn';
  return startDashboard({ ...inject('clusterEnv'), DATA_DIR: makeDataDir(), LOG_LEVEL: logLevel,
    ...env }, port);
}

/** Polls so far, by replicator: each poll sends one STATUS-DSYNC. */
export async function pollCounts(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  const lines = text.matchAll(/^dovecot_replicator_commands_total\{(.*)\} (\d+)$/gm);
  for (const [, labels, value] of lines) {
    if (!labels!.includes('command="STATUS-DSYNC"')) continue;
    const replicator = /replicator="([^"]+)"/.exec(labels!)![1]!;
    counts[replicator] = Number(value);
  }
  return counts;
}

/** The lease holders, by replicator, as Redis has them now. */
export async function leaseHolders(redis: Redis, ids: string[]) {
  const holders: Record<string, string | null> = {};
  for (const id of ids) holders[id] = await redis.get(`${LEASE_PREFIX}${id}`);
  return holders;
}

/** Waits (checking every 20 ms) until `check` holds; answers how long it took. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

export function basic(account: { name: string; password: string }): Record<string, string> {
  const token = Buffer.from(`${account.name}:${account.password}`).toString('base64');
  return { authorization: `Basic ${token}` };
}
