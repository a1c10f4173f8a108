/**
 * The queue's history, which the replicator does not keep: every overview the hub polls, at
 * full resolution for an hour, then one point a minute (the minute's highest counts, so a
 * spike stays visible) for seven days, then dropped. SQLite in DATA_DIR (history.sqlite);
 * losing the last second of history in a crash is acceptable, so it syncs less often than
 * the audit trail.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import type { Overview } from '@/lib/api-types';

import type { HistoryPoint, HistoryStore } from '../storage/stores';

export const RAW_KEPT_MS = 60 * 60 * 1000;
export const MINUTES_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
/** A chart needs no more points than this, whatever the range. */
const MAX_POINTS = 720;

export const COUNTERS = [
  'queuedSync', 'queuedHigh', 'queuedLow', 'queuedFailed', 'queuedFullResync',
  'waitingFailed', 'totalUsers',
] as const;
export const COLUMNS = COUNTERS.map((c) => c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`));

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS overview_history (
    replicator TEXT NOT NULL,
    resolution_ms INTEGER NOT NULL,
    at INTEGER NOT NULL,
    ${COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (replicator, resolution_ms, at)
  ) WITHOUT ROWID;
`;

export type { HistoryPoint };

export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;
  private readonly insertRaw;
  private readonly rollUp;
  private readonly dropRaw;
  private readonly dropMinutes;
  private readonly select;

  constructor(dataDir: string, file = 'history.sqlite') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dataDir, file));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);

    const names = COLUMNS.join(', ');
    this.insertRaw = this.db.prepare(`INSERT OR REPLACE INTO overview_history
      (replicator, resolution_ms, at, ${names}) VALUES (?, 0, ?, ${COLUMNS.map(() => '?')})`);
    this.rollUp = this.db.prepare(`INSERT OR REPLACE INTO overview_history
      (replicator, resolution_ms, at, ${names})
      SELECT replicator, ${MINUTE_MS}, (at / ${MINUTE_MS}) * ${MINUTE_MS},
        ${COLUMNS.map((c) => `MAX(${c})`).join(', ')}
      FROM overview_history WHERE resolution_ms = 0 AND at < ?
      GROUP BY replicator, at / ${MINUTE_MS}`);
    this.dropRaw = this.db.prepare(
      'DELETE FROM overview_history WHERE resolution_ms = 0 AND at < ?');
    this.dropMinutes = this.db.prepare(
      `DELETE FROM overview_history WHERE resolution_ms = ${MINUTE_MS} AND at < ?`);
    // Parameters arrive as REAL: the bucket division must be made an integer one.
    this.select = this.db.prepare(`SELECT (at / CAST(@step AS INTEGER)) * @step AS bucket,
        ${COLUMNS.map((c) => `MAX(${c}) AS ${c}`).join(', ')}
      FROM overview_history
      WHERE replicator = @replicator AND at >= @since AND at <= @until
        AND (resolution_ms = 0 OR at < @rawFrom)
      GROUP BY bucket ORDER BY bucket`);
  }

  /** Records one polled overview. */
  async record(replicator: string, overview: Overview): Promise<void> {
    const at = Date.parse(overview.at);
    this.insertRaw.run(replicator, at, ...COUNTERS.map((c) => overview[c]));
  }

  /** Rolls full-resolution points older than an hour into minutes; drops what is too old. */
  async compact(now = Date.now()): Promise<void> {
    this.db.transaction(() => {
      this.rollUp.run(now - RAW_KEPT_MS);
      this.dropRaw.run(now - RAW_KEPT_MS);
      this.dropMinutes.run(now - MINUTES_KEPT_MS);
    })();
  }

  /** The points between two times, merged to at most MAX_POINTS (each bucket's highest). */
  async range(replicator: string, since: number, until: number): Promise<HistoryPoint[]> {
    const step = bucketMs(since, until);
    // Where minute points and raw points overlap (the last minute rolled up), raw wins.
    const rawFrom = this.oldestRaw(replicator) ?? until + 1;
    const rows = this.select.all({ replicator, since, until, step, rawFrom }) as HistoryRow[];
    return rows.map(toPoint);
  }

  /** How many points are kept, by resolution (0 = full, 60000 = minutes): for tests. */
  async counts(replicator: string): Promise<Record<number, number>> {
    const rows = this.db.prepare(`SELECT resolution_ms AS r, COUNT(*) AS n FROM overview_history
      WHERE replicator = ? GROUP BY resolution_ms`).all(replicator) as { r: number; n: number }[];
    return Object.fromEntries(rows.map(({ r, n }) => [r, n]));
  }

  close(): void {
    this.db.close();
  }

  private oldestRaw(replicator: string): number | undefined {
    const row = this.db.prepare(`SELECT MIN(at) AS at FROM overview_history
      WHERE replicator = ? AND resolution_ms = 0`).get(replicator) as { at: number | null };
    return row.at ?? undefined;
  }
}

/** How wide each chart point is: at least a second, and no more than MAX_POINTS of them. */
export function bucketMs(since: number, until: number): number {
  return Math.max(1000, Math.ceil((until - since + 1) / MAX_POINTS / 1000) * 1000);
}

export type HistoryRow = Record<(typeof COLUMNS)[number], number | string> & {
  bucket: number | string;
};

/** A row as a point; PostgreSQL's bigint arrives as text, so every number is converted. */
export function toPoint(row: HistoryRow): HistoryPoint {
  const point = { at: new Date(Number(row.bucket)).toISOString() } as HistoryPoint;
  COUNTERS.forEach((counter, i) => (point[counter] = Number(row[COLUMNS[i]!]!)));
  return point;
}
