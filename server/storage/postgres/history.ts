/**
 * The queue's history in PostgreSQL, shared by every instance; the same resolution and
 * retention as the SQLite history (see server/history/store.ts).
 */
import type { Overview } from '@/lib/api-types';

import {
  bucketMs,
  COLUMNS,
  COUNTERS,
  MINUTES_KEPT_MS,
  MINUTE_MS,
  RAW_KEPT_MS,
  toPoint,
  type HistoryRow,
} from '../../history/store';
import type { HistoryPoint, HistoryStore } from '../stores';
import { inTransaction, type Pool } from './pool';

const NAMES = COLUMNS.join(', ');

const INSERT_RAW = `INSERT INTO overview_history (replicator, resolution_ms, at, ${NAMES})
  VALUES ($1, 0, $2, ${COLUMNS.map((_, i) => `$${i + 3}`).join(', ')})
  ON CONFLICT (replicator, resolution_ms, at) DO UPDATE SET
  ${COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;

const ROLL_UP = `INSERT INTO overview_history (replicator, resolution_ms, at, ${NAMES})
  SELECT replicator, ${MINUTE_MS}, (at / ${MINUTE_MS}) * ${MINUTE_MS},
    ${COLUMNS.map((c) => `MAX(${c})`).join(', ')}
  FROM overview_history WHERE resolution_ms = 0 AND at < $1
  GROUP BY replicator, at / ${MINUTE_MS}
  ON CONFLICT (replicator, resolution_ms, at) DO UPDATE SET
  ${COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;

const SELECT = `SELECT (at / $5) * $5 AS bucket, ${COLUMNS.map((c) => `MAX(${c}) AS ${c}`)
  .join(', ')}
  FROM overview_history
  WHERE replicator = $1 AND at >= $2 AND at <= $3 AND (resolution_ms = 0 OR at < $4)
  GROUP BY bucket ORDER BY bucket`;

export class PostgresHistoryStore implements HistoryStore {
  constructor(private readonly pool: Pool) {}

  async record(replicator: string, overview: Overview): Promise<void> {
    const at = Date.parse(overview.at);
    await this.pool.query(INSERT_RAW, [replicator, at, ...COUNTERS.map((c) => overview[c])]);
  }

  async compact(now = Date.now()): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(ROLL_UP, [now - RAW_KEPT_MS]);
      await client.query('DELETE FROM overview_history WHERE resolution_ms = 0 AND at < $1',
        [now - RAW_KEPT_MS]);
      await client.query(`DELETE FROM overview_history
        WHERE resolution_ms = ${MINUTE_MS} AND at < $1`, [now - MINUTES_KEPT_MS]);
    });
  }

  async range(replicator: string, since: number, until: number): Promise<HistoryPoint[]> {
    // Where minute points and raw points overlap (the last minute rolled up), raw wins.
    const oldest = await this.pool.query<{ at: number | null }>(`SELECT MIN(at) AS at
      FROM overview_history WHERE replicator = $1 AND resolution_ms = 0`, [replicator]);
    const rawFrom = oldest.rows[0]?.at ?? until + 1;
    const step = bucketMs(since, until);
    const { rows } = await this.pool.query<HistoryRow>(SELECT,
      [replicator, since, until, rawFrom, step]);
    return rows.map(toPoint);
  }

  async counts(replicator: string): Promise<Record<number, number>> {
    const { rows } = await this.pool.query<{ r: number; n: number }>(`SELECT resolution_ms AS r,
      count(*)::integer AS n FROM overview_history WHERE replicator = $1
      GROUP BY resolution_ms`, [replicator]);
    return Object.fromEntries(rows.map(({ r, n }) => [r, n]));
  }
}
