/**
 * The replicators this server knows, each with its transport, its kept user searches and
 * its live hub. Built once at start from the configuration.
 */
import type { ServerConfig } from './config';
import { KeptUserResults } from './live/kept-users';
import { ReplicatorHub } from './live/hub';
import { WorkerSorter } from './live/order-sorter';
import { WorkerUserReader } from './live/user-reading';
import { warmUpUserParsing } from './live/warm-up';
import { moduleLogger, type Logger } from './log';
import type { Metrics } from './metrics';
import { ReplicatorClient, describeAddress } from './replicator/client';
import { DoveadmHttpClient } from './replicator/http-client';
import { SocketTransport, type ReplicatorTransport } from './replicator/transport';
import type { PairConfig, ReplicatorConfig, ReplicatorReach } from './replicators-file';

export interface Replicator {
  id: string;
  /** What operators call it, from the listing; the id when none is given. */
  name: string;
  /** The socket path, host:port or URL: for operators only. */
  address: string;
  /** Commands people ask for: searches and actions. */
  client: ReplicatorTransport;
  keptUsers: KeptUserResults;
  hub: ReplicatorHub;
}

export class ReplicatorRegistry {
  private readonly byId = new Map<string, Replicator>();
  private readonly pairList: PairConfig[];
  /** One thread sorts every replicator's kept users, beside the event loop. */
  private readonly sorter = new WorkerSorter();
  /** And one parses their user searches as this thread reads them. */
  private readonly reader = new WorkerUserReader(this.sorter.sort);

  constructor(config: ServerConfig, metrics: Metrics) {
    for (const replicator of config.replicators) {
      this.byId.set(replicator.id, createReplicator(replicator, config, metrics, this.reader));
    }
    this.pairList = config.pairs;
  }

  get(id: string): Replicator | undefined {
    return this.byId.get(id);
  }

  all(): Replicator[] {
    return [...this.byId.values()];
  }

  /** The two-way pairs of the listing, each naming two of these replicators. */
  pairs(): readonly PairConfig[] {
    return this.pairList;
  }

  /**
   * Readies the parsing of user searches before anybody searches: the first million-user
   * answer is then read and parsed at full speed, with no worker still starting beside it.
   */
  prepare(): Promise<void> {
    warmUpUserParsing();
    return this.reader.prepare();
  }

  stop(): void {
    for (const replicator of this.byId.values()) {
      replicator.hub.stop();
      replicator.client.close();
    }
    this.sorter.close();
    this.reader.close();
  }
}

interface TransportOptions {
  id: string;
  timeoutMs: number;
  /** How long connecting plus the handshake may take (the socket's only). */
  connectTimeoutMs?: number;
  logger: Logger;
  onCommandSent: (command: string) => void;
}

function createReplicator(
  { id, name, reach }: ReplicatorConfig,
  config: ServerConfig,
  metrics: Metrics,
  reader: WorkerUserReader,
): Replicator {
  const log = moduleLogger('replicator', { replicator: id, transport: reach.kind });
  const onCommandSent = (command: string) =>
    metrics.replicatorCommands.inc({ replicator: id, command });

  const client = createTransport(reach, {
    id, timeoutMs: config.commandTimeoutMs, logger: log.child({ connection: 'commands' }),
    onCommandSent,
  });
  // A connection of the hub's own, with the short poll timeout, so a search cannot stall it.
  const pollClient = createTransport(reach, {
    id, timeoutMs: config.pollTimeoutMs, connectTimeoutMs: config.pollTimeoutMs,
    logger: log.child({ connection: 'poll' }), onCommandSent,
  });

  const keptUsers = new KeptUserResults(client, config.usersKeepMs, log, reader.read);
  const hub = new ReplicatorHub({
    id,
    pollClient,
    keptUsers,
    pollIntervalMs: config.pollIntervalMs,
    logger: moduleLogger('hub', { replicator: id }),
  });
  return { id, name, address: describeReach(reach), client, keptUsers, hub };
}

function createTransport(reach: ReplicatorReach, options: TransportOptions) {
  const { id, timeoutMs, connectTimeoutMs, logger, onCommandSent } = options;
  if (reach.kind === 'doveadm-http') {
    const { url, authorization } = reach;
    return new DoveadmHttpClient({
      id, url, authorization, commandTimeoutMs: timeoutMs, logger, onCommandSent,
    });
  }

  const client = new ReplicatorClient({
    id, address: reach.address, connectTimeoutMs, commandTimeoutMs: timeoutMs, logger,
    onCommandSent,
  });
  return new SocketTransport(client);
}

function describeReach(reach: ReplicatorReach): string {
  return reach.kind === 'doveadm-http' ? reach.url : describeAddress(reach.address);
}
