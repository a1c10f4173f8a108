/**
 * The two backends every store test runs against: SQLite files in a temporary folder, and a
 * fresh database on the real PostgreSQL with the migrations applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { inject } from 'vitest';

import { openPostgresStores, openSqliteStores } from '@/server/storage';
import type { Stores } from '@/server/storage/stores';

import { freshDatabase } from '../../support/services';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Empty stores; `now` is the audit trail's clock. */
  open(now?: () => Date): Promise<Stores>;
}

export const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    async open(now) {
      const dir = mkdtempSync(path.join(tmpdir(), 'stores-'));
      const stores = openSqliteStores(dir, now);
      return { ...stores, close: async () => {
        await stores.close();
        rmSync(dir, { recursive: true, force: true });
      } };
    },
  },
  {
    name: 'postgres',
    async open(now) {
      const database = await freshDatabase(inject('adminDatabaseUrl'), 'stores_test');
      const stores = await openPostgresStores(database.url, now);
      return { ...stores, close: async () => {
        await stores.close();
        await database.drop();
      } };
    },
  },
];
