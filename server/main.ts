/**
 * The dashboard's one process: Next.js pages and API routes and socket.io on the same port,
 * with one live hub per replicator. Several such processes can share the work (REDIS_URL,
 * DATABASE_URL): see server/cluster/ and server/storage/.
 */
import {
  STATUS_CODES,
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

import next from 'next';
import { Server } from 'socket.io';

import { passPageGate } from './auth/page-gate';
import { stampPeer } from './auth/request-info';
import type { AuthService } from './auth/service';
import { createAuthState, type AuthState } from './auth/setup';
import { joinCluster } from './cluster';
import { loadConfig, type ServerConfig } from './config';
import {
  authenticateSockets,
  handleLiveSocket,
  relayHubs,
  type LiveServer,
} from './live/socket-handlers';
import { moduleLogger } from './log';
import { recordHistory } from './history/recorder';
import { answerMethodNotAllowedAsJson } from './http/method-not-allowed';
import { refuseMalformedUrl } from './http/raw-url';
import { JobTracker } from './jobs/tracker';
import { StaleUsers } from './live/stale-users';
import { createMetrics, observeReplicators, observeStaleUsers } from './metrics';
import { ReplicatorRegistry } from './replicators';
import { setRuntime } from './runtime';
import { openStores } from './storage';

const log = moduleLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');

  const state = await openState(config);
  const httpServer = await createHttpServer(config, dev, state.authState.auth);
  const cluster = await startLive(httpServer, config, state);

  await state.replicators.prepare();
  cluster.start();
  state.staleUsers.start();
  await listen(httpServer, config.host, config.port);
  // The port actually bound: PORT=0 (tests) lets the system choose one.
  const { port } = httpServer.address() as AddressInfo;
  log.info({ url: `http://${config.host}:${port}`, dev }, 'dashboard listening');

  stopOnSignals(async () => {
    // Leases first: another instance takes over the polls at once, not after they expire.
    await cluster.stop();
    state.replicators.stop();
    httpServer.close();
    closeAuth(state.authState);
    await state.stores.close();
  });
}

type State = Awaited<ReturnType<typeof openState>>;

/** The replicators, the stores, sign-in, jobs and stale users, shared with the routes. */
async function openState(config: ServerConfig) {
  const metrics = createMetrics();
  const replicators = new ReplicatorRegistry(config, metrics);
  observeReplicators(metrics, replicators);

  const stores = await openStores({ dataDir: config.auth.dataDir,
    databaseUrl: config.cluster.databaseUrl });
  const { audit, history } = stores;
  const authState = createAuthState(config.auth, audit);
  recordHistory(history, replicators);

  const jobs = new JobTracker(stores.jobs, replicators, metrics);
  jobs.attach(config.pollIntervalMs);
  const staleUsers = new StaleUsers(replicators, config.staleAfterSeconds, config.staleRefreshMs);
  observeStaleUsers(metrics, replicators, staleUsers);

  const { auth } = authState;
  setRuntime({ config, replicators, metrics, auth, audit, history, jobs, staleUsers });
  return { replicators, stores, authState, jobs, staleUsers };
}

/** Next's pages and routes behind the checks that come before Next reads a request. */
async function createHttpServer(config: ServerConfig, dev: boolean, auth: AuthService) {
  const dir = fileURLToPath(new URL('..', import.meta.url));
  const app = next({ dev, dir, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    stampPeer(request);
    if (refuseMalformedUrl(request, response)) return;
    answerMethodNotAllowedAsJson(request, response);
    if (await passPageGate(auth, request, response)) await handle(request, response);
  };
  const server = createServer((request, response) => void serve(request, response)
    .catch((error: unknown) => failRequest(response, error)));
  server.on('clientError', answerClientError);
  return server;
}

/** socket.io on the same port, fed by the hubs; with Redis, shared among the instances. */
async function startLive(httpServer: HttpServer, config: ServerConfig, state: State) {
  const { replicators, jobs, staleUsers, authState } = state;
  const { auth } = authState;
  const websocketOnly = config.cluster.liveTransport === 'websocket';
  const io: LiveServer = new Server(httpServer, { serveClient: false,
    transports: websocketOnly ? ['websocket'] : ['polling', 'websocket'] });

  const cluster = await joinCluster({ config, replicators, jobs, staleUsers, io, auth,
    revoked: authState.revoked });
  authenticateSockets(io, auth);
  relayHubs(io, replicators, (id) => cluster.leadership.holds(id));
  io.on('connection', (socket) => handleLiveSocket(socket, replicators, auth));
  return cluster;
}

/**
 * Requests Node refuses before any handler sees them (headers over 16 KiB, a broken request
 * line) get the API's JSON error too, not an empty answer.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return;

  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, code] = tooLarge ? [431, 'headers_too_large'] : [400, 'bad_request'];
  const message = tooLarge ? 'the request line and headers exceed 16 KiB' : 'malformed request';
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
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

function listen(server: HttpServer, host: string, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** A stop that hangs (Redis or PostgreSQL gone) must not keep the process from ending. */
const STOP_WAIT_MS = 3000;

function stopOnSignals(stop: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping');
      const deadline = new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref());
      void Promise.race([stop().catch((error: unknown) => {
        log.warn({ err: error }, 'stopped with an error');
      }), deadline]).then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
