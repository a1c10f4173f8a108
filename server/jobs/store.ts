/**
 * Jobs in SQLite (DATA_DIR/jobs.sqlite), for one instance: each job's row with its latest
 * counts, and its users with their last known state. Running jobs are written when they
 * start and when they end; in between their counts are updated, so a restarted server resumes
 * them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import type { JobState, JobSummary, JobUserState, RequestPriority } from '@/lib/api-types';

import type { JobStore } from '../storage/stores';
import { JOB_USER_STATES, type JobCounts } from './progress';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    replicator TEXT NOT NULL,
    started_by TEXT NOT NULL,
    mask TEXT NOT NULL,
    priority TEXT NOT NULL,
    full INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    state TEXT NOT NULL,
    total INTEGER NOT NULL,
    counts TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS jobs_by_start ON jobs (started_at);
  CREATE TABLE IF NOT EXISTS job_users (
    job_id TEXT NOT NULL,
    username TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (job_id, username)
  ) WITHOUT ROWID;
`;

/** A job as stored: times in ms. */
export interface StoredJob {
  id: string;
  replicator: string;
  startedBy: string;
  mask: string;
  priority: RequestPriority;
  full: boolean;
  startedAt: number;
  finishedAt: number | null;
  state: JobState;
  total: number;
  counts: JobCounts;
}

export interface JobRow {
  id: string;
  replicator: string;
  started_by: string;
  mask: string;
  priority: RequestPriority;
  full: number;
  started_at: number;
  finished_at: number | null;
  state: JobState;
  total: number;
  counts: string;
}

export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(dataDir: string, file = 'jobs.sqlite') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dataDir, file));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  /** Writes a new job and its users, all in one transaction. */
  async create(job: StoredJob, usernames: readonly string[]): Promise<void> {
    const insertJob = this.db.prepare(`INSERT INTO jobs VALUES (@id, @replicator, @started_by,
      @mask, @priority, @full, @started_at, @finished_at, @state, @total, @counts)`);
    const insertUser = this.db.prepare(
      `INSERT OR IGNORE INTO job_users VALUES (?, ?, 'waiting')`);
    this.db.transaction(() => {
      insertJob.run(toRow(job));
      for (const username of usernames) insertUser.run(job.id, username);
    })();
  }

  /** Saves a job's counts and state, and with `states` every user's state too. */
  async update(job: StoredJob, states?: ReadonlyMap<string, JobUserState>): Promise<void> {
    const updateJob = this.db.prepare(`UPDATE jobs SET finished_at = ?, state = ?, counts = ?
      WHERE id = ?`);
    const updateUser = this.db.prepare(
      'UPDATE job_users SET state = ? WHERE job_id = ? AND username = ?');
    this.db.transaction(() => {
      updateJob.run(job.finishedAt, job.state, JSON.stringify(job.counts), job.id);
      for (const [username, state] of states ?? []) updateUser.run(state, job.id, username);
    })();
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /** Newest first. */
  async list(offset: number, limit: number): Promise<{ jobs: StoredJob[]; total: number }> {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY started_at DESC LIMIT ? OFFSET ?')
      .all(limit, offset) as JobRow[];
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number };
    return { jobs: rows.map(fromRow), total: n };
  }

  async running(replicator?: string): Promise<StoredJob[]> {
    const rows = this.db.prepare("SELECT * FROM jobs WHERE state = 'running'").all() as JobRow[];
    const jobs = rows.map(fromRow);
    return replicator === undefined ? jobs : jobs.filter((j) => j.replicator === replicator);
  }

  async usernames(id: string): Promise<string[]> {
    const rows = this.db.prepare('SELECT username FROM job_users WHERE job_id = ?')
      .all(id) as { username: string }[];
    return rows.map((r) => r.username);
  }

  /** One page of a job's users as last saved, of one state when asked. */
  async users(id: string, state: JobUserState | undefined, offset: number, limit: number) {
    const where = state === undefined ? 'job_id = ?' : 'job_id = ? AND state = ?';
    const args = state === undefined ? [id] : [id, state];
    const rows = this.db.prepare(`SELECT username, state FROM job_users WHERE ${where}
      ORDER BY username LIMIT ? OFFSET ?`).all(...args, limit, offset);
    const { n } = this.db.prepare(`SELECT COUNT(*) AS n FROM job_users WHERE ${where}`)
      .get(...args) as { n: number };
    return { users: rows as { username: string; state: JobUserState }[], total: n };
  }

  close(): void {
    this.db.close();
  }
}

export function toRow(job: StoredJob): JobRow {
  return {
    id: job.id, replicator: job.replicator, started_by: job.startedBy, mask: job.mask,
    priority: job.priority, full: job.full ? 1 : 0, started_at: job.startedAt,
    finished_at: job.finishedAt, state: job.state, total: job.total,
    counts: JSON.stringify(job.counts),
  };
}

/** A stored row as a job; both backends keep the counts as JSON text. */
export function fromRow(row: JobRow): StoredJob {
  const counts = JSON.parse(row.counts) as JobCounts;
  for (const state of JOB_USER_STATES) counts[state] ??= 0;
  return {
    id: row.id, replicator: row.replicator, startedBy: row.started_by, mask: row.mask,
    priority: row.priority, full: row.full === 1, startedAt: row.started_at,
    finishedAt: row.finished_at, state: row.state, total: row.total, counts,
  };
}

/** A stored job as the API shows it, with its rate and estimate. */
export function summarize(job: StoredJob, now = Date.now()): JobSummary {
  const over = job.counts.done + job.counts.failed + job.counts.gone;
  const minutes = ((job.finishedAt ?? now) - job.startedAt) / 60_000;
  const perMinute = over > 0 && minutes > 0 ? over / minutes : null;
  const left = job.counts.waiting + job.counts.running;
  const etaSeconds = perMinute !== null && job.state === 'running' ? (left / perMinute) * 60 : null;
  return {
    id: job.id, replicator: job.replicator, startedBy: job.startedBy, mask: job.mask,
    priority: job.priority, full: job.full, startedAt: new Date(job.startedAt).toISOString(),
    finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
    state: job.state, total: job.total, counts: job.counts, perMinute,
    etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
  };
}
