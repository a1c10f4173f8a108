/** PostgreSQL's migrations: applied once, even by instances starting at the same moment. */
import { describe, expect, inject, it } from 'vitest';

import { moduleLogger } from '@/server/log';
import { migrate, readMigrations } from '@/server/storage/postgres/migrate';
import { openPool } from '@/server/storage/postgres/pool';

import { freshDatabase } from '../support/services';

describe('the PostgreSQL migrations', () => {
  it('are applied once when two instances start together, and never again', async () => {
    const database = await freshDatabase(inject('adminDatabaseUrl'), 'migrate_test');
    const pools = [await openPool(database.url), await openPool(database.url)];
    const log = moduleLogger('test');
    try {
      const firsts = await Promise.all(pools.map((pool) => migrate(pool, log)));
      const again = await migrate(pools[0]!, log);

      const all = readMigrations().map((m) => m.version);
      expect(firsts.flat().sort()).toEqual(all);
      expect(again).toEqual([]);
      const { rows } = await pools[0]!.query('SELECT version FROM schema_migrations');
      expect(rows.map((r: { version: number }) => r.version)).toEqual(all);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await database.drop();
    }
  });
});
