/**
 * The replicators this server knows, each with its command client, its kept user searches
 * and its live hub. Built once at start from the configuration.
 */
import type { ServerConfig } from './config';
import { KeptUserResults } from './live/kept-users';
import { ReplicatorHub } from './live/hub';
import { moduleLogger } from './log';
import type { Metrics } from './metrics';
import { ReplicatorClient, describeAddress } from './replicator/client';
import type { ReplicatorConfig } from './replicators-file';

export interface Replicator {
  id: string;
  /** What operators call it, from the listing; the id when none is given. */
  name: string;
  /** How it is reached, as written in errors: shown to operators only. */
  address: string;
  /** Commands people ask for: searches and actions. */
  client: ReplicatorClient;
  keptUsers: KeptUserResults;
  hub: ReplicatorHub;
}

export class ReplicatorRegistry {
  private readonly byId = new Map<string, Replicator>();

  constructor(config: ServerConfig, metrics: Metrics) {
    for (const replicator of config.replicators) {
      this.byId.set(replicator.id, createReplicator(replicator, config, metrics));
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
  }
}

function createReplicator(
  { id, name, reach }: ReplicatorConfig,
  config: ServerConfig,
  metrics: Metrics,
): Replicator {
  if (reach.kind !== 'doveadm-socket') {
    throw new Error(`replicator ${id}: the doveadm HTTP API is not supported by this build`);
  }
  const { address } = reach;
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
  const keptUsers = new KeptUserResults(client, config.usersKeepMs, log);
  const hub = new ReplicatorHub({
    id,
    pollClient,
    keptUsers,
    pollIntervalMs: config.pollIntervalMs,
    logger: moduleLogger('hub', { replicator: id }),
  });
  return { id, name, address: describeAddress(address), client, keptUsers, hub };
}
