/**
 * Sign-outs across instances: a session signed out on one instance must be refused by all.
 * Each instance keeps signed-out sessions in its own SQLite file (checked on every request,
 * synchronously); with several instances a sign-out is also announced to the others through
 * socket.io's adapter, and kept in a Redis sorted set (score: when the session would have
 * ended) that an instance reads when it starts.
 */
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';

import type { RevokedSessions } from '../audit/database';
import type { AuthService } from '../auth/service';
import type { LiveServer } from '../live/socket-handlers';
import { moduleLogger } from '../log';

const KEY = 'replicator-dashboard:signed-out';
const EVENT = 'session:signed-out';
const log = moduleLogger('cluster');

/** Events between instances (socket.io's server-side events), besides the browsers' ones. */
interface InstanceEvents {
  [EVENT]: (sessionId: string, until: number) => void;
}

export async function shareSignOuts(
  io: LiveServer,
  auth: AuthService,
  revoked: RevokedSessions,
  redis: Redis,
  closeSockets: (sessionId: string) => void,
): Promise<void> {
  const instances = io as unknown as Server<object, object, InstanceEvents>;
  const now = Date.now();
  await redis.zremrangebyscore(KEY, '-inf', now);
  const known = await redis.zrangebyscore(KEY, now, '+inf', 'WITHSCORES');
  for (let i = 0; i < known.length; i += 2) revoked.revoke(known[i]!, Number(known[i + 1]));

  auth.onSignOut((sessionId, until) => {
    instances.serverSideEmit(EVENT, sessionId, until);
    redis.zadd(KEY, until, sessionId).catch((error: unknown) => {
      log.error({ err: error }, 'sign-out not shared with instances started later');
    });
  });
  instances.on(EVENT, (sessionId, until) => {
    revoked.revoke(sessionId, until);
    closeSockets(sessionId);
  });
}
