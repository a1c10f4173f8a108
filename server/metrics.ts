/**
 * Prometheus metrics of the process, by prom-client: what the replicators were asked, and
 * the process' own figures. One registry for the process, reached through the runtime.
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Commands sent to a replicator, by replicator and command. */
  replicatorCommands: Counter<'replicator' | 'command'>;
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
  return { registry, replicatorCommands };
}
