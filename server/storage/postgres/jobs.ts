/** Jobs in PostgreSQL, shared by every instance: the same rows as the SQLite job store. */
import type { JobUserState } from '../../jobs/progress';
import { fromRow, toRow, type JobRow, type StoredJob } from '../../jobs/store';
import type { JobStore } from '../stores';
import { inTransaction, type Pool } from './pool';

const JOB_COLUMNS = ['id', 'replicator', 'started_by', 'mask', 'priority', 'full', 'started_at',
  'finished_at', 'state', 'total', 'counts'] as const;

const INSERT_JOB = `INSERT INTO jobs (${JOB_COLUMNS.map((c) => `"${c}"`).join(', ')})
  VALUES (${JOB_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** Users go in with one statement per this many, not one per user. */
const USERS_PER_INSERT = 5000;

export class PostgresJobStore implements JobStore {
  constructor(private readonly pool: Pool) {}

  async create(job: StoredJob, usernames: readonly string[]): Promise<void> {
    const row = toRow(job);
    await inTransaction(this.pool, async (client) => {
      await client.query(INSERT_JOB, JOB_COLUMNS.map((c) => row[c]));
      for (let i = 0; i < usernames.length; i += USERS_PER_INSERT) {
        await client.query(`INSERT INTO job_users (job_id, username, state)
          SELECT $1, u, 'waiting' FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING`,
        [job.id, usernames.slice(i, i + USERS_PER_INSERT)]);
      }
    });
  }

  async update(job: StoredJob, states?: ReadonlyMap<string, JobUserState>): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('UPDATE jobs SET finished_at = $1, state = $2, counts = $3 WHERE id = $4',
        [job.finishedAt, job.state, JSON.stringify(job.counts), job.id]);
      const entries = [...(states ?? [])];
      for (let i = 0; i < entries.length; i += USERS_PER_INSERT) {
        const slice = entries.slice(i, i + USERS_PER_INSERT);
        await client.query(`UPDATE job_users AS j SET state = s.state
          FROM unnest($2::text[], $3::text[]) AS s (username, state)
          WHERE j.job_id = $1 AND j.username = s.username`,
        [job.id, slice.map(([u]) => u), slice.map(([, s]) => s)]);
      }
    });
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async list(offset: number, limit: number) {
    const { rows } = await this.pool.query<JobRow>(
      'SELECT * FROM jobs ORDER BY started_at DESC LIMIT $1 OFFSET $2', [limit, offset]);
    const count = await this.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM jobs');
    return { jobs: rows.map(fromRow), total: count.rows[0]!.n };
  }

  async running(replicator?: string): Promise<StoredJob[]> {
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM jobs
      WHERE state = 'running' AND ($1::text IS NULL OR replicator = $1)`, [replicator ?? null]);
    return rows.map(fromRow);
  }

  async usernames(id: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ username: string }>(
      'SELECT username FROM job_users WHERE job_id = $1', [id]);
    return rows.map((r) => r.username);
  }

  async users(id: string, state: JobUserState | undefined, offset: number, limit: number) {
    const where = 'job_id = $1 AND ($2::text IS NULL OR state = $2)';
    const args = [id, state ?? null];
    // ORDER BY with COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const { rows } = await this.pool.query<{ username: string; state: JobUserState }>(
      `SELECT username, state FROM job_users WHERE ${where}
       ORDER BY username COLLATE "C" LIMIT $3 OFFSET $4`, [...args, limit, offset]);
    const count = await this.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM job_users WHERE ${where}`, args);
    return { users: rows, total: count.rows[0]!.n };
  }
}
