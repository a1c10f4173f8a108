/**
 * Starts what the integration tests talk to: the real Dovecot pair, then the dashboard
 * server (the production build) on a port of its own, pointed at the pair's replicator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import { pair, pairAddresses } from './dovecot';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PORT = Number(process.env.INTEGRATION_PORT ?? 3101);

declare module 'vitest' {
  export interface ProvidedContext {
    dashboardUrl: string;
    replicatorSocket: string;
    replicatorInet: string;
    primaryConf: string;
  }
}

let server: ChildProcess | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  pair('start');
  const addresses = pairAddresses();
  if (!existsSync(`${ROOT}.next/BUILD_ID`)) {
    throw new Error('no production build: run `npm run build` before the integration tests');
  }

  const url = `http://127.0.0.1:${PORT}`;
  server = spawn('node_modules/.bin/tsx', ['server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT),
      HOST: '127.0.0.1', REPLICATOR_SOCKET: addresses.socket, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForServer(`${url}/api/v1/replicators`, 60_000);

  project.provide('dashboardUrl', url);
  project.provide('replicatorSocket', addresses.socket);
  project.provide('replicatorInet', addresses.inet);
  project.provide('primaryConf', addresses.primaryConf);
  return teardown;
}

async function teardown(): Promise<void> {
  server?.kill('SIGTERM');
  pair('start');
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error('the dashboard server exited at start');
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the dashboard server did not answer ${url} in ${timeoutMs} ms`);
}
