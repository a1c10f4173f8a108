/**
 * The dashboard's one process: Next.js pages and API routes and socket.io on the same port,
 * with one live hub per replicator.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import next from 'next';
import { Server } from 'socket.io';

import { loadConfig } from './config';
import { handleLiveSocket, relayHubs, type LiveServer } from './live/socket-handlers';
import { moduleLogger } from './log';
import { ReplicatorRegistry } from './replicators';
import { setRuntime } from './runtime';

const log = moduleLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes('--dev');
  const dir = fileURLToPath(new URL('..', import.meta.url));

  const replicators = new ReplicatorRegistry(config);
  setRuntime({ config, replicators });

  const app = next({ dev, dir, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const httpServer = createServer((request, response) => void handle(request, response));
  const io: LiveServer = new Server(httpServer, { serveClient: false });
  relayHubs(io, replicators);
  io.on('connection', (socket) => handleLiveSocket(socket, replicators));

  replicators.start();
  await listen(httpServer, config.host, config.port);
  log.info({ url: `http://${config.host}:${config.port}`, dev }, 'dashboard listening');

  stopOnSignals(() => {
    replicators.stop();
    void io.close();
    httpServer.close();
  });
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
