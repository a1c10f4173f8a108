/**
 * What the several-instances tests need, all real: Redis and PostgreSQL (scripts/services.sh),
 * two Dovecot pairs (scripts/dovecot-pair.sh: the project's pair and a second one in
 * .dovecot-cluster/), a REPLICATORS_FILE listing both replicators (one by its UNIX socket,
 * one by its TCP listener), a fresh database, and accounts shared by every instance.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import { addAccount, makeDataDir, testAccount, type TestAccount } from
  '../../integration/support/server';
import { freshDatabase, services } from '../../support/services';

const SCRIPT = fileURLToPath(new URL('../../../scripts/dovecot-pair.sh', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The second pair's ports: clear of the demo's, the benchmark's and the reliability runs'. */
const SECOND_PAIR = {
  DOVECOT_PAIR_DIR: process.env.CLUSTER_PAIR_DIR ?? path.join(ROOT, '.dovecot-cluster'),
  DOVECOT_PAIR_REPLICA_PORT: process.env.CLUSTER_PAIR_REPLICA_PORT ?? '24450',
  DOVECOT_PAIR_PRIMARY_PORT: process.env.CLUSTER_PAIR_PRIMARY_PORT ?? '24451',
  DOVECOT_PAIR_REPLICATOR_PORT: process.env.CLUSTER_PAIR_REPLICATOR_PORT ?? '24452',
};

export interface PairInfo {
  socket: string;
  inet: string;
  primaryConf: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusterEnv: Record<string, string>;
    operator: TestAccount;
    east: PairInfo;
    west: PairInfo;
    redisUrl: string;
  }
}

let cleanup: (() => Promise<void>) | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { redisUrl, adminDatabaseUrl } = services();
  const east = startPair({});
  const west = startPair(SECOND_PAIR);
  const database = await freshDatabase(adminDatabaseUrl, 'cluster_test');

  const shared = makeDataDir();
  const operator = testAccount('cluster-operator', 'operator');
  addAccount(shared, operator);
  const listing = path.join(shared, 'replicators.json');
  writeFileSync(listing, JSON.stringify({ replicators: [
    { id: 'east', name: 'East', socket: east.socket },
    { id: 'west', name: 'West', inet: west.inet },
  ] }));

  project.provide('clusterEnv', {
    REDIS_URL: redisUrl, DATABASE_URL: database.url, REPLICATORS_FILE: listing,
    AUTH_USERS_FILE: path.join(shared, 'users.json'),
    SESSION_SECRET: randomBytes(32).toString('base64url'), POLL_INTERVAL_MS: '1000',
  });
  project.provide('operator', operator);
  project.provide('east', east);
  project.provide('west', west);
  project.provide('redisUrl', redisUrl);
  cleanup = async () => {
    await database.drop();
    rmSync(shared, { recursive: true, force: true });
  };
  return async () => cleanup?.();
}

function startPair(env: Record<string, string>): PairInfo {
  const all = { ...process.env, ...env };
  execFileSync('bash', [SCRIPT, 'start'], { env: all, stdio: ['ignore', 'ignore', 'inherit'] });
  const script = `eval "$(bash "$0" env)" && printf '%s\\0' "$REPLICATOR_SOCKET" \
    "$REPLICATOR_INET" "$DOVECOT_PRIMARY_CONF"`;
  const text = execFileSync('bash', ['-c', script, SCRIPT], { env: all, encoding: 'utf8' });
  const [socket, inet, primaryConf] = text.split('\0');
  if (!socket || !inet || !primaryConf) throw new Error(`dovecot-pair.sh env said: ${text}`);
  return { socket, inet, primaryConf };
}
