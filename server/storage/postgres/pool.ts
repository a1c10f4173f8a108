/**
 * The PostgreSQL connection pool (node-postgres). BIGINT columns hold times in ms and
 * counters, all far below 2^53, so they are read as numbers rather than pg's default text.
 */
import pg from 'pg';

import { moduleLogger } from '../../log';

const INT8_OID = 20;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format)
  ) as typeof pg.types.getTypeParser,
};

/** A pool for DATABASE_URL; the first query proves the server answers. */
export async function openPool(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle connection the server dropped must not bring the process down; the pool
  // opens another for the next query.
  pool.on('error', (error) => moduleLogger('storage').warn({ err: error },
    'PostgreSQL connection lost'));
  await pool.query('SELECT 1');
  return pool;
}

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Runs `work` in one transaction on one connection; rolls back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
