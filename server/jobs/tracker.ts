/**
 * Replicate jobs: each replicate asked of the dashboard becomes a job that covers the users
 * the replicator knew to match at that moment, and is followed to its end. After every poll
 * of a replicator, each distinct mask of its running jobs is read once (shared with any
 * watch of the same mask) and every covered user is given a state.
 *
 * Only the instance that polls a replicator follows its jobs: a job started on any instance
 * is written to the store, and the poller takes every running job of its replicators from
 * there at its next poll. So a restarted server, or a new poller after a takeover, resumes
 * them.
 */
import { randomUUID } from 'node:crypto';

import type { JobDetail, JobSummary, JobUserState, RequestPriority } from '@/lib/api-types';

import type { KeptUsers } from '../live/kept-users';
import { moduleLogger } from '../log';
import type { Metrics } from '../metrics';
import type { Replicator, ReplicatorRegistry } from '../replicators';
import { emptyCounts, isFinished, jobUserState, type JobCounts } from './progress';
import type { JobStore } from '../storage/stores';
import { summarize, type StoredJob } from './store';

/** A job still waiting this long after its start ends as expired. */
const JOB_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const log = moduleLogger('jobs');

interface RunningJob {
  job: StoredJob;
  states: Map<string, JobUserState>;
}

export interface NewJob {
  startedBy: string;
  mask: string;
  priority: RequestPriority;
  full: boolean;
}

export class JobTracker {
  private readonly running = new Map<string, RunningJob>();
  private readonly refreshing = new Set<string>();

  constructor(
    private readonly store: JobStore,
    private readonly replicators: ReplicatorRegistry,
    private readonly metrics: Metrics,
  ) {}

  /** Follows every hub's polls: they happen only where this instance polls the replicator. */
  attach(intervalMs: number): void {
    for (const replicator of this.replicators.all()) {
      replicator.hub.on('polled', () => void this.refresh(replicator, intervalMs / 2));
    }
  }

  /**
   * The users a replicate of `mask` will cover, read just before it is sent: one name for
   * a mask without wildcards (the replicator adds it if unknown), else the known matches.
   */
  async coveredUsers(replicator: Replicator, mask: string): Promise<string[]> {
    if (!/[*?]/.test(mask)) return [mask];

    const kept = await replicator.keptUsers.get(mask, 0);
    return Array.from({ length: kept.users.length }, (_, i) => kept.users.username(i));
  }

  /**
   * Stops following a replicator's jobs here, when another instance takes over its polls;
   * they stay running in the store for that one.
   */
  forget(replicatorId: string): void {
    for (const [id, { job }] of this.running) {
      if (job.replicator === replicatorId) this.running.delete(id);
    }
  }

  /**
   * Writes a replicate that the replicator accepted as a job; its poller follows it.
   * `sentAt` is when the REPLICATE was sent: a dsync it caused may be stamped with that very
   * second, before the answer came back.
   */
  async start(
    replicatorId: string,
    request: NewJob,
    usernames: string[],
    sentAt = Date.now(),
  ): Promise<JobSummary> {
    const job: StoredJob = {
      id: randomUUID(), replicator: replicatorId, ...request, startedAt: startOfSecond(sentAt),
      finishedAt: null, state: 'running', total: usernames.length,
      counts: { ...emptyCounts(), waiting: usernames.length },
    };
    await this.store.create(job, usernames);
    this.metrics.jobsStarted.inc({ replicator: replicatorId });
    log.info({ replicator: replicatorId, mask: job.mask, job: job.id, users: job.total },
      'job started');
    return summarize(job);
  }

  async list(offset: number, limit: number): Promise<{ jobs: JobSummary[]; total: number }> {
    const { jobs, total } = await this.store.list(offset, limit);
    return { jobs: jobs.map((job) => summarize(this.running.get(job.id)?.job ?? job)), total };
  }

  /** A job with one page of its users (of one state when asked); undefined if unknown. */
  async detail(id: string, state: JobUserState | undefined, offset: number, limit: number) {
    const live = this.running.get(id);
    const job = live?.job ?? (await this.store.get(id));
    if (job === undefined) return undefined;

    const page = live === undefined
      ? await this.store.users(id, state, offset, limit)
      : pageOfStates(live.states, state, offset, limit);
    const detail: JobDetail = { job: summarize(job), users: page.users, usersTotal: page.total };
    return detail;
  }

  private async refresh(replicator: Replicator, maxAgeMs: number): Promise<void> {
    if (this.refreshing.has(replicator.id)) return;

    this.refreshing.add(replicator.id);
    try {
      await this.adoptStored(replicator.id);
      const jobs = [...this.running.values()].filter((r) => r.job.replicator === replicator.id);
      if (jobs.length === 0) return;

      const dsyncs = replicator.hub.dsyncs?.dsyncs ?? [];
      const busy = new Set(dsyncs.flatMap((d) => (d.username === null ? [] : [d.username])));
      for (const mask of new Set(jobs.map((r) => r.job.mask))) {
        const kept = await replicator.keptUsers.get(mask, maxAgeMs);
        for (const r of jobs) if (r.job.mask === mask) await this.advance(r, kept, busy);
      }
    } catch (error) {
      // The replicator is away; the hub says so. The jobs resume at its next poll.
      log.debug({ replicator: replicator.id, err: error }, 'job refresh failed');
    } finally {
      this.refreshing.delete(replicator.id);
    }
  }

  /** Takes up the running jobs of a replicator that this instance does not follow yet. */
  private async adoptStored(replicatorId: string): Promise<void> {
    for (const job of await this.store.running(replicatorId)) {
      if (this.running.has(job.id)) continue;
      const usernames = await this.store.usernames(job.id);
      this.running.set(job.id, { job, states: new Map(usernames.map((u) => [u, 'waiting'])) });
    }
  }

  private async advance(running: RunningJob, kept: KeptUsers, busy: ReadonlySet<string>) {
    const { job, states } = running;
    const timing = { startedAtSeconds: job.startedAt / 1000, full: job.full };
    const seen = new Set<string>();

    for (let i = 0; i < kept.users.length; i++) {
      const username = kept.users.username(i);
      if (!states.has(username)) continue;
      seen.add(username);
      states.set(username, jobUserState(kept.users.row(i), busy.has(username), timing));
    }
    for (const username of states.keys()) {
      if (!seen.has(username)) states.set(username, 'gone');
    }
    job.counts = countStates(states);
    await this.settle(running);
  }

  private async settle({ job, states }: RunningJob): Promise<void> {
    const expired = Date.now() - job.startedAt > JOB_MAX_AGE_MS;
    if (!isFinished(job.counts) && !expired) {
      await this.store.update(job);
      return;
    }
    job.state = expired ? 'expired' : 'finished';
    job.finishedAt = Date.now();
    await this.store.update(job, states);
    this.running.delete(job.id);

    const outcome = job.state === 'expired' ? 'expired' : job.counts.failed + job.counts.gone > 0
      ? 'with_failures' : 'ok';
    this.metrics.jobsFinished.inc({ replicator: job.replicator, outcome });
    log.info({ replicator: job.replicator, mask: job.mask, job: job.id, counts: job.counts },
      `job ${job.state}`);
  }
}

function startOfSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function countStates(states: ReadonlyMap<string, JobUserState>): JobCounts {
  const counts = emptyCounts();
  for (const state of states.values()) counts[state]++;
  return counts;
}

function pageOfStates(
  states: ReadonlyMap<string, JobUserState>,
  state: JobUserState | undefined,
  offset: number,
  limit: number,
) {
  const all = [...states]
    .filter(([, s]) => state === undefined || s === state)
    .map(([username, s]) => ({ username, state: s }))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  return { users: all.slice(offset, offset + limit), total: all.length };
}
