/**
 * The real Redis and PostgreSQL of scripts/services.sh, for the tests that need them:
 * started when the caller did not give their addresses (TEST_REDIS_URL, TEST_DATABASE_URL).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));

export interface ServiceUrls {
  redisUrl: string;
  /** The server's `postgres` database, to create test databases from. */
  adminDatabaseUrl: string;
}

/** Starts the services unless both addresses are given; answers their addresses. */
export function services(): ServiceUrls {
  const given = { redisUrl: process.env.TEST_REDIS_URL,
    adminDatabaseUrl: process.env.TEST_DATABASE_URL };
  if (given.redisUrl && given.adminDatabaseUrl) return given as ServiceUrls;

  execFileSync('bash', [SCRIPT, 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const print = `printf '%s\\0' "$TEST_REDIS_URL" "$TEST_DATABASE_URL"`;
  const script = `eval "$(bash "$0" env)" && ${print}`;
  const [redisUrl, adminDatabaseUrl] = execFileSync('bash', ['-c', script, SCRIPT],
    { encoding: 'utf8' }).split('\0');
  if (!redisUrl || !adminDatabaseUrl) throw new Error('services.sh env said nothing');
  return { redisUrl, adminDatabaseUrl };
}

/** A new, empty database on the test server; answers its URL and how to drop it. */
export async function freshDatabase(adminUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
