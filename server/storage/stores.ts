/**
 * What the server keeps beyond one request: the audit trail, the replicate jobs and the
 * queue's history. Two backends implement these: SQLite files in DATA_DIR for one instance
 * (the default), PostgreSQL (DATABASE_URL) for several instances that must see the same rows.
 * Every method is async because PostgreSQL is; the SQLite ones answer at once.
 */
import type { AuditPage, Overview } from '@/lib/api-types';

import type { AuditEvent, AuditFilter, AuditResult, AuditScope } from '../audit/log';
import type { JobUserState } from '../jobs/progress';
import type { StoredJob } from '../jobs/store';

/** The audit trail: an action's attempt row first, its outcome before the answer. */
export interface AuditStore {
  /** Writes the attempt row of an action about to run; its id is for finish(). */
  begin(event: AuditEvent): Promise<number>;
  /** Records how an action begun with begin() ended. */
  finish(id: number, result: AuditResult): Promise<void>;
  /** Writes a finished event in one row: a refusal, a sign-in, a sign-out. */
  record(event: AuditEvent, result: AuditResult): Promise<void>;
  /** Rows newest first, with the total that passes the filter within the scope. */
  query(filter: AuditFilter, scope: AuditScope): Promise<AuditPage>;
}

/** Jobs with their latest counts, and each job's users with their last saved state. */
export interface JobStore {
  /** Writes a new job and its users, all or nothing. */
  create(job: StoredJob, usernames: readonly string[]): Promise<void>;
  /** Saves a job's counts and state, and with `states` every user's state too. */
  update(job: StoredJob, states?: ReadonlyMap<string, JobUserState>): Promise<void>;
  get(id: string): Promise<StoredJob | undefined>;
  /** Newest first. */
  list(offset: number, limit: number): Promise<{ jobs: StoredJob[]; total: number }>;
  /** The jobs still running, of one replicator when given. */
  running(replicator?: string): Promise<StoredJob[]>;
  usernames(id: string): Promise<string[]>;
  /** One page of a job's users as last saved, of one state when asked. */
  users(
    id: string,
    state: JobUserState | undefined,
    offset: number,
    limit: number,
  ): Promise<{ users: { username: string; state: JobUserState }[]; total: number }>;
}

export type HistoryPoint = Overview;

/** The queue's counters over time, downsampled as they age. */
export interface HistoryStore {
  /** Records one polled overview. */
  record(replicator: string, overview: Overview): Promise<void>;
  /** Rolls full-resolution points older than an hour into minutes; drops what is too old. */
  compact(now?: number): Promise<void>;
  /** The points between two times, merged to at most 720 (each bucket's highest). */
  range(replicator: string, since: number, until: number): Promise<HistoryPoint[]>;
  /** How many points are kept, by resolution (0 = full, 60000 = minutes): for tests. */
  counts(replicator: string): Promise<Record<number, number>>;
}

/** The three stores of one backend, and how to let go of it. */
export interface Stores {
  backend: 'sqlite' | 'postgres';
  audit: AuditStore;
  jobs: JobStore;
  history: HistoryStore;
  close(): Promise<void>;
}
