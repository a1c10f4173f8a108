/**
 * Where one user of a replicate job stands, from the replicator's view of that user. The
 * replicator stamps a user's sync times when a dsync starts, not when it ends, so a running
 * dsync is checked first; only a user whose stamped sync is at or after the job's start,
 * with no dsync running, has an outcome.
 */
import type { UserStatus } from '../replicator/answers';

export const JOB_USER_STATES = ['done', 'failed', 'running', 'waiting', 'gone'] as const;
export type JobUserState = (typeof JOB_USER_STATES)[number];

export type JobCounts = Record<JobUserState, number>;

export interface JobTiming {
  /** Unix seconds, as the replicator counts. */
  startedAtSeconds: number;
  full: boolean;
}

/**
 * @param user the user as the replicator now reports it; undefined when it dropped the user
 *   (dsync found no such user, so the userdb does not know it).
 * @param running whether a dsync for this user runs now.
 */
export function jobUserState(
  user: UserStatus | undefined,
  running: boolean,
  job: JobTiming,
): JobUserState {
  if (user === undefined) return 'gone';
  if (running) return 'running';

  const synced = job.full ? user.lastFullSync : user.lastFastSync;
  if (synced < job.startedAtSeconds) return 'waiting';
  return user.failed ? 'failed' : 'done';
}

export function emptyCounts(): JobCounts {
  return { done: 0, failed: 0, running: 0, waiting: 0, gone: 0 };
}

/** A job is over when none of its users waits or runs any more. */
export function isFinished(counts: JobCounts): boolean {
  return counts.waiting === 0 && counts.running === 0;
}
