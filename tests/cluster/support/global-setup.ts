/**
 * What the several-instances tests need, all real: Redis and PostgreSQL (scripts/services.sh),
 * two Dovecot pairs (scripts/dovecot-pair.sh: the project's pair and a second one in
 * .dovecot-cluster/), a REPLICATORS_FILE listing both replicators (one by its UNIX socket,
 * one by its TCP listener), a fresh database, and accounts shared by every instance.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import { addAccount, makeDataDir, testAccount, type TestAccount } from
  '../../integration/support/server';
import { freshDatabase, services } from '../../support/services';

const SCRIPT = fileURLToPath(new URL('../../../scripts/dovecot-pair.sh', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const SECOND_PAIR_DIR = process.env.CLUSTER_PAIR_DIR ?? path.join(ROOT, '.dovecot-cluster');

/**
 * The second pair's ports: as given, else as the pair remembers them from its first start,
 * else ports clear of the demo's, the benchmark's and the reliability runs'.
 */
function secondPair(): Record<string, string> {
  const given = (name: string, fallback: string) => process.env[`CLUSTER_PAIR_${name}_PORT`] ??
    (existsSync(path.join(SECOND_PAIR_DIR, 'ports')) ? undefined : fallback);
  const ports = { REPLICA: given('REPLICA', '24450'), PRIMARY: given('PRIMARY', '24451'),
    REPLICATOR: given('REPLICATOR', '24452') };
  const env: Record<string, string> = { DOVECOT_PAIR_DIR: SECOND_PAIR_DIR };
  for (const [name, port] of Object.entries(ports)) {
    if (port !== undefined) env[`DOVECOT_PAIR_${name}_PORT`] = port;
  }
  return env;
}

export interface PairInfo {
  socket: string;
  inet: string;
  primaryConf: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    clusterEnv: Record<string, string>;
    operator: TestAccount;
    /** A helpdesk account limited to example.org. */
    orgHelpdesk: TestAccount;
    east: PairInfo;
    west: PairInfo;
    redisUrl: string;
  }
}

let cleanup: (() => Promise<void>) | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { redisUrl, adminDatabaseUrl } = services();
  const east = startPair({});
  const west = startPair(secondPair());
  const database = await freshDatabase(adminDatabaseUrl, 'cluster_test');

  const shared = makeDataDir();
  const operator = testAccount('cluster-operator', 'operator');
  addAccount(shared, operator);
  const orgHelpdesk = testAccount('cluster-org-desk', 'helpdesk', ['example.org']);
  addAccount(shared, orgHelpdesk);
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
  project.provide('orgHelpdesk', orgHelpdesk);
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
  // The project pair's own variables must not reach the second pair.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !name.startsWith('DOVECOT_PAIR_') || env.DOVECOT_PAIR_DIR === undefined));
  const all = { ...inherited, ...env } as NodeJS.ProcessEnv;
  execFileSync('bash', [SCRIPT, 'start'], { env: all, stdio: ['ignore', 'ignore', 'inherit'] });
  const script = `eval "$(bash "$0" env)" && printf '%s\\0' "$REPLICATOR_SOCKET" \
    "$REPLICATOR_INET" "$DOVECOT_PRIMARY_CONF"`;
  const text = execFileSync('bash', ['-c', script, SCRIPT], { env: all, encoding: 'utf8' });
  const [socket, inet, primaryConf] = text.split('\0');
  if (!socket || !inet || !primaryConf) throw new Error(`dovecot-pair.sh env said: ${text}`);
  return { socket, inet, primaryConf };
}
