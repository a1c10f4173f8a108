/**
 * Several instances of the dashboard behind a load balancer (REDIS_URL): socket.io's Redis
 * adapter shares live events, a lease per replicator picks the one instance that polls it,
 * and the relay hands the poller's live state to the others. Without REDIS_URL this
 * instance polls every replicator, as a single dashboard does.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

import type { RevokedSessions } from '../audit/database';
import type { AuthService } from '../auth/service';
import type { ServerConfig } from '../config';
import type { JobTracker } from '../jobs/tracker';
import { disconnectSession, type LiveServer } from '../live/socket-handlers';
import type { StaleUsers } from '../live/stale-users';
import { moduleLogger } from '../log';
import type { ReplicatorRegistry } from '../replicators';
import { RedisLeadership, SoloLeadership, type Leadership } from './leadership';
import { LiveRelay } from './relay';
import { shareSignOuts } from './sign-outs';

const log = moduleLogger('cluster');

export interface ClusterDeps {
  config: ServerConfig;
  replicators: ReplicatorRegistry;
  jobs: JobTracker;
  staleUsers: StaleUsers;
  io: LiveServer;
  auth: AuthService;
  revoked: RevokedSessions;
}

export interface Cluster {
  leadership: Leadership;
  /** This instance's name in leases and relayed messages. */
  owner: string;
  /** Starts polling what this instance leads. */
  start(): void;
  /**
   * Gives back the leases (another instance takes over at once), closes socket.io, then
   * the Redis connections, which socket.io's adapter needs until it is closed.
   */
  stop(): Promise<void>;
}

/** Joins the other instances (with REDIS_URL) or stands alone; installs the adapter. */
export async function joinCluster(deps: ClusterDeps): Promise<Cluster> {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const ids = deps.replicators.all().map((r) => r.id);
  const url = deps.config.cluster.redisUrl;
  if (url === undefined) return pollAsLed(deps, new SoloLeadership(ids), owner);

  const redis = await connect(url, 'commands');
  const connections = [redis, redis.duplicate(), redis.duplicate(), redis.duplicate()];
  for (const connection of connections.slice(1)) connection.on('error', quiet);
  const [, subscriber, adapterPub, adapterSub] = connections as [Redis, Redis, Redis, Redis];
  deps.io.adapter(createAdapter(adapterPub, adapterSub));

  const leaseMs = deps.config.cluster.leaseMs;
  const leadership = new RedisLeadership(redis, ids, owner, leaseMs, log);
  const cluster = pollAsLed(deps, leadership, owner);
  const relay = new LiveRelay({ redis, subscriber, leadership, owner, log,
    replicators: deps.replicators, staleUsers: deps.staleUsers,
    pollIntervalMs: deps.config.pollIntervalMs });
  await relay.start();
  await shareSignOuts(deps.io, deps.auth, deps.revoked, redis,
    (sessionId) => disconnectSession(deps.io, sessionId));
  log.info({ owner, leaseMs }, 'joined the other instances through Redis');

  return { ...cluster, stop: async () => {
    relay.stop();
    await cluster.stop();
    // QUIT, not a disconnect: it waits for the adapter's last unsubscribes to be answered.
    await Promise.allSettled(connections.map((connection) => connection.quit()));
  } };
}

/**
 * Closes the sockets and socket.io's adapter; the HTTP server's close, which waits for idle
 * keep-alive connections, is not waited for.
 */
async function closeSockets(io: LiveServer): Promise<void> {
  void io.close();
  // io.close() closes the adapter after a turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
}

/** Polls what `leadership` gives this instance, and lets go of what it takes away. */
function pollAsLed(deps: ClusterDeps, leadership: Leadership, owner: string): Cluster {
  leadership.on('gained', (id) => deps.replicators.get(id)?.hub.start());
  leadership.on('lost', (id) => {
    deps.replicators.get(id)?.hub.stop();
    deps.jobs.forget(id);
  });
  deps.staleUsers.countOnly((id) => leadership.holds(id));
  return {
    leadership,
    owner,
    start: () => leadership.start(),
    stop: async () => {
      await leadership.stop();
      await closeSockets(deps.io);
    },
  };
}

/**
 * ioredis reconnects by itself and reports each failed try; what matters (a lease that
 * cannot be renewed) is logged where it happens.
 */
function quiet(error: Error): void {
  log.debug({ err: error }, 'redis connection error');
}

async function connect(url: string, name: string): Promise<Redis> {
  // A command waits at most this long; a lease renewal must not hang past the lease.
  const redis = new Redis(url, { lazyConnect: true, commandTimeout: 1000,
    maxRetriesPerRequest: 1, connectionName: `replicator-dashboard-${name}` });
  redis.on('error', quiet);
  await redis.connect();
  return redis;
}
