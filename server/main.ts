/**
 * The dashboard's one process: Next.js pages and API routes and socket.io on the same port,
 * with one live hub per replicator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import next from 'next';
import { Server } from 'socket.io';

import { passPageGate } from './auth/page-gate';
import { stampPeer } from './auth/request-info';
import { createAuthState, type AuthState } from './auth/setup';
import { loadConfig } from './config';
import {
  authenticateSockets,
  handleLiveSocket,
  relayHubs,
  type LiveServer,
} from './live/socket-handlers';
import { moduleLogger } from './log';
import { HistoryStore } from './history/store';
import { recordHistory } from './history/recorder';
import { refuseMalformedUrl } from './http/raw-url';
import { JobStore } from './jobs/store';
import { JobTracker } from './jobs/tracker';
import { StaleUsers } from './live/stale-users';
import { warmUpUserParsing } from './live/warm-up';
import { createMetrics, observeReplicators, observeStaleUsers } from './metrics';
import { ReplicatorRegistry } from './replicators';
import { setRuntime } from './runtime';

const log = moduleLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');
  const dir = fileURLToPath(new URL('..', import.meta.url));

  const metrics = createMetrics();
  const replicators = new ReplicatorRegistry(config, metrics);
  observeReplicators(metrics, replicators);
  const authState = createAuthState(config.auth);
  const { auth, audit } = authState;
  const history = new HistoryStore(config.auth.dataDir);
  recordHistory(history, replicators);
  const jobs = new JobTracker(new JobStore(config.auth.dataDir), replicators, metrics);
  jobs.attach(config.pollIntervalMs);
  const staleUsers = new StaleUsers(replicators, config.staleAfterSeconds, config.staleRefreshMs);
  observeStaleUsers(metrics, replicators, staleUsers);
  setRuntime({ config, replicators, metrics, auth, audit, history, jobs, staleUsers });

  const app = next({ dev, dir, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    stampPeer(request);
    if (refuseMalformedUrl(request, response)) return;
    if (await passPageGate(auth, request, response)) await handle(request, response);
  };
  const httpServer = createServer((request, response) => void serve(request, response)
    .catch((error: unknown) => failRequest(response, error)));
  const io: LiveServer = new Server(httpServer, { serveClient: false });
  authenticateSockets(io, auth);
  relayHubs(io, replicators);
  io.on('connection', (socket) => handleLiveSocket(socket, replicators, auth));

  // Before anybody searches: the first million-user answer is then parsed at full speed.
  warmUpUserParsing();
  replicators.start();
  staleUsers.start();
  await listen(httpServer, config.host, config.port);
  // The port actually bound: PORT=0 (tests) lets the system choose one.
  const { port } = httpServer.address() as AddressInfo;
  log.info({ url: `http://${config.host}:${port}`, dev }, 'dashboard listening');

  stopOnSignals(() => {
    replicators.stop();
    void io.close();
    httpServer.close();
    closeAuth(authState);
  });
}

function failRequest(response: ServerResponse, error: unknown): void {
  log.error({ err: error }, 'request failed');
  if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
  response.end('internal error\n');
}

function closeAuth(state: AuthState): void {
  try {
    state.close();
  } catch (error) {
    log.warn({ err: error }, 'could not close the database');
  }
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function stopOnSignals(stop: () => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping');
      stop();
      process.exit(0);
    });
  }
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
