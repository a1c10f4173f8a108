/**
 * Prometheus metrics of the process, by prom-client: each replicator's queue as the hub last
 * polled it, what the replicators were asked, and the process' own figures. The gauges are
 * read from the hubs at scrape time, so the hubs do no bookkeeping for them.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

import type { StaleUsers } from './live/stale-users';
import type { ReplicatorRegistry } from './replicators';

export interface Metrics {
  registry: Registry;
  /** Commands sent to a replicator, by replicator and command. */
  replicatorCommands: Counter<'replicator' | 'command'>;
  jobsStarted: Counter<'replicator'>;
  /** Outcome: ok, with_failures (some users failed or gone) or expired. */
  jobsFinished: Counter<'replicator' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const replicatorCommands = new Counter({
    name: 'dovecot_replicator_commands_total',
    help: 'Commands this dashboard sent to the replicator',
    labelNames: ['replicator', 'command'] as const,
    registers: [registry],
  });
  const jobsStarted = new Counter({
    name: 'dovecot_replicator_jobs_started_total',
    help: 'Replicate jobs started from the dashboard or its API',
    labelNames: ['replicator'] as const,
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: 'dovecot_replicator_jobs_finished_total',
    help: 'Replicate jobs finished, by outcome (ok, with_failures, expired)',
    labelNames: ['replicator', 'outcome'] as const,
    registers: [registry],
  });
  return { registry, replicatorCommands, jobsStarted, jobsFinished };
}

type Hub = ReturnType<ReplicatorRegistry['all']>[number]['hub'];
type Reading = (hub: Hub) => number | undefined;

/**
 * A reading of the last poll, while the replicator answers. One that does not answer has no
 * queue figures: they are left out (Prometheus's "absent"), not kept at their last value.
 */
const whileUp = (read: Reading): Reading => (hub) => (hub.state.connected ? read(hub) : undefined);

/** The per-replicator gauges: name, help, and how to read the value off a hub. */
const QUEUE_GAUGES: [string, string, Reading][] = [
  ['dovecot_replicator_up', 'Whether the last poll of the replicator succeeded (1) or not (0)',
    (hub) => (hub.state.connected ? 1 : 0)],
  ['dovecot_replicator_queued_failed_requests', "Queued 'failed' requests",
    whileUp((hub) => hub.overview?.queuedFailed)],
  ['dovecot_replicator_queued_full_resync_requests', "Queued 'full resync' requests",
    whileUp((hub) => hub.overview?.queuedFullResync)],
  ['dovecot_replicator_waiting_failed_requests', "Waiting 'failed' requests",
    whileUp((hub) => hub.overview?.waitingFailed)],
  ['dovecot_replicator_users', 'Users the replicator knows',
    whileUp((hub) => hub.overview?.totalUsers)],
  ['dovecot_replicator_dsyncs_running', 'dsync connection slots that serve a user now',
    whileUp((hub) => hub.dsyncs?.dsyncs.filter((d) => d.username !== null).length)],
  ['dovecot_replicator_poll_duration_seconds', 'How long the last poll of the queue took',
    (hub) => (hub.lastPollDurationMs === undefined ? undefined : hub.lastPollDurationMs / 1000)],
];

/** Registers the gauges that describe each replicator, read from its hub when scraped. */
export function observeReplicators(metrics: Metrics, replicators: ReplicatorRegistry): void {
  for (const [name, help, read] of QUEUE_GAUGES) {
    new Gauge({
      name, help, labelNames: ['replicator'] as const, registers: [metrics.registry],
      collect() {
        this.reset();
        for (const { id, hub } of replicators.all()) {
          const value = read(hub);
          if (value !== undefined) this.set({ replicator: id }, value);
        }
      },
    });
  }
  observeQueuedByPriority(metrics, replicators);
}

function observeQueuedByPriority(metrics: Metrics, replicators: ReplicatorRegistry): void {
  new Gauge({
    name: 'dovecot_replicator_queued_requests',
    help: 'Queued requests by priority',
    labelNames: ['replicator', 'priority'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const { id, hub } of replicators.all()) {
        const overview = hub.overview;
        if (overview === undefined || !hub.state.connected) continue;
        this.set({ replicator: id, priority: 'sync' }, overview.queuedSync);
        this.set({ replicator: id, priority: 'high' }, overview.queuedHigh);
        this.set({ replicator: id, priority: 'low' }, overview.queuedLow);
      }
    },
  });
}

/** Users whose last successful sync is older than the stale threshold, or who never synced. */
export function observeStaleUsers(
  metrics: Metrics,
  replicators: ReplicatorRegistry,
  stale: StaleUsers,
): void {
  new Gauge({
    name: 'dovecot_replicator_stale_users',
    help: 'Users with no successful sync within STALE_AFTER_SECONDS, or never',
    labelNames: ['replicator'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const { id } of replicators.all()) {
        const count = stale.get(id)?.count;
        if (count !== undefined) this.set({ replicator: id }, count);
      }
    },
  });
}
