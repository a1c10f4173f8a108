/**
 * Schema migrations for PostgreSQL: numbered SQL files (migrations/NNN_name.sql) applied in
 * order at start, each recorded in `schema_migrations`. PostgreSQL runs DDL inside
 * transactions, so all pending files are applied in one transaction under an advisory lock:
 * two instances starting at once apply them once, and a failed file leaves nothing behind.
 * That is all this schema needs, so no migration library (and its CLI and config) is used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Logger } from '../../log';
import { inTransaction, type Pool } from './pool';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any fixed number: the advisory lock all instances of the dashboard take to migrate. */
const LOCK_KEY = 7_262_300_011;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files in order of their numbers. */
export function readMigrations(dir = DIR): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d+)_([\w-]+)\.sql$/.exec(file))
    .filter((match) => match !== null)
    .map((match) => ({
      version: Number(match[1]),
      name: match[2]!,
      sql: readFileSync(`${dir}${match[0]}`, 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/** Applies the migrations not applied yet; answers the versions it applied. */
export async function migrate(pool: Pool, log: Logger, dir = DIR): Promise<number[]> {
  const migrations = readMigrations(dir);
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);

    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(done.rows.map((row) => row.version));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)',
        [migration.version, migration.name]);
      log.info({ version: migration.version, name: migration.name }, 'migration applied');
    }
    return pending.map((m) => m.version);
  });
}
