/**
 * The replicators this server knows, each with its command client, its kept user searches
 * and its live hub. Built once at start from the configuration.
 */
import type { ServerConfig } from './config';
import { KeptUserResults } from './live/kept-users';
import { ReplicatorHub } from './live/hub';
import { WorkerSorter } from './live/order-sorter';
import { moduleLogger } from './log';
import type { Metrics } from './metrics';
import { ReplicatorClient, parseAddress } from './replicator/client';

export interface Replicator {
  id: string;
  /** Commands people ask for: searches and actions. */
  client: ReplicatorClient;
  keptUsers: KeptUserResults;
  hub: ReplicatorHub;
}

export class ReplicatorRegistry {
  private readonly byId = new Map<string, Replicator>();
  /** One thread sorts every replicator's kept users, beside the event loop. */
  private readonly sorter = new WorkerSorter();

  constructor(config: ServerConfig, metrics: Metrics) {
    for (const { id, address } of config.replicators) {
      this.byId.set(id, createReplicator(id, address, config, metrics, this.sorter));
    }
  }

  get(id: string): Replicator | undefined {
    return this.byId.get(id);
  }

  all(): Replicator[] {
    return [...this.byId.values()];
  }

  start(): void {
    for (const replicator of this.byId.values()) replicator.hub.start();
  }

  stop(): void {
    for (const replicator of this.byId.values()) {
      replicator.hub.stop();
      replicator.client.close();
    }
    this.sorter.close();
  }
}

function createReplicator(
  id: string,
  addressText: string,
  config: ServerConfig,
  metrics: Metrics,
  sorter: WorkerSorter,
): Replicator {
  const address = parseAddress(addressText);
  const log = moduleLogger('replicator', { replicator: id });
  const onCommandSent = (command: string) =>
    metrics.replicatorCommands.inc({ replicator: id, command });
  const client = new ReplicatorClient({
    id,
    address,
    commandTimeoutMs: config.commandTimeoutMs,
    logger: log.child({ connection: 'commands' }),
    onCommandSent,
  });
  const pollClient = new ReplicatorClient({
    id,
    address,
    connectTimeoutMs: config.pollTimeoutMs,
    commandTimeoutMs: config.pollTimeoutMs,
    logger: log.child({ connection: 'poll' }),
    onCommandSent,
  });
  const keptUsers = new KeptUserResults(client, config.usersKeepMs, log, sorter.sort);
  const hub = new ReplicatorHub({
    id,
    pollClient,
    keptUsers,
    pollIntervalMs: config.pollIntervalMs,
    logger: moduleLogger('hub', { replicator: id }),
  });
  return { id, client, keptUsers, hub };
}
