/**
 * Opens the stores the configuration asks for: PostgreSQL when DATABASE_URL is set (after
 * applying its migrations), else the SQLite files in DATA_DIR.
 */
import { openDatabase } from '../audit/database';
import { SqliteAuditStore } from '../audit/log';
import { SqliteHistoryStore } from '../history/store';
import { SqliteJobStore } from '../jobs/store';
import { moduleLogger } from '../log';
import { PostgresAuditStore } from './postgres/audit';
import { PostgresHistoryStore } from './postgres/history';
import { PostgresJobStore } from './postgres/jobs';
import { migrate } from './postgres/migrate';
import { openPool } from './postgres/pool';
import type { Stores } from './stores';

const log = moduleLogger('storage');

export interface StorageConfig {
  dataDir: string;
  databaseUrl: string | undefined;
}

export async function openStores(config: StorageConfig): Promise<Stores> {
  if (config.databaseUrl === undefined) return openSqliteStores(config.dataDir);
  return openPostgresStores(config.databaseUrl);
}

/** `now` is the audit trail's clock (tests set it). */
export function openSqliteStores(dataDir: string, now?: () => Date): Stores {
  const auditDb = openDatabase(dataDir);
  const jobs = new SqliteJobStore(dataDir);
  const history = new SqliteHistoryStore(dataDir);
  return {
    backend: 'sqlite',
    audit: new SqliteAuditStore(auditDb, now),
    jobs,
    history,
    close: async () => {
      auditDb.close();
      jobs.close();
      history.close();
    },
  };
}

export async function openPostgresStores(url: string, now?: () => Date): Promise<Stores> {
  const pool = await openPool(url);
  const applied = await migrate(pool, log);
  log.info({ applied }, 'PostgreSQL stores ready');
  return {
    backend: 'postgres',
    audit: new PostgresAuditStore(pool, now),
    jobs: new PostgresJobStore(pool),
    history: new PostgresHistoryStore(pool),
    close: () => pool.end(),
  };
}
