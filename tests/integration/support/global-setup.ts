/**
 * Starts what the integration tests talk to: the real Dovecot pair, then the dashboard
 * server (the production build) on a port of its own, pointed at the pair's replicator,
 * with a fresh data directory holding one account per role (made with the CLI).
 */
import { existsSync, rmSync } from 'node:fs';

import type { TestProject } from 'vitest/node';

import { pair, pairAddresses } from './dovecot';
import {
  addAccount,
  makeDataDir,
  ROOT,
  startDashboard,
  testAccount,
  type RunningServer,
  type TestAccount,
} from './server';

const PORT = Number(process.env.INTEGRATION_PORT ?? 3101);

/** The accounts every integration test may use, by what they are for. */
export interface TestAccounts {
  operator: TestAccount;
  helpdesk: TestAccount;
  viewer: TestAccount;
  /** A helpdesk account limited to example.net. */
  netHelpdesk: TestAccount;
}

/** The SSO proxy the server trusts: requests from this loopback address only. */
export const TRUSTED_PROXY = '127.0.0.2';
export const PROXY_ENV = {
  AUTH_PROXY_HEADER: 'X-Forwarded-User',
  AUTH_PROXY_GROUPS_HEADER: 'X-Forwarded-Groups',
  AUTH_PROXY_ROLES: 'sso-alice=operator,group:desk=helpdesk:example.org',
  AUTH_TRUSTED_PROXIES: TRUSTED_PROXY,
};

declare module 'vitest' {
  export interface ProvidedContext {
    dashboardUrl: string;
    replicatorSocket: string;
    replicatorInet: string;
    primaryConf: string;
    accounts: TestAccounts;
    dataDir: string;
  }
}

let server: RunningServer | undefined;
let dataDir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  pair('start');
  const addresses = pairAddresses();
  if (!existsSync(`${ROOT}.next/BUILD_ID`)) {
    throw new Error('no production build: run `npm run build` before the integration tests');
  }

  dataDir = makeDataDir();
  const accounts: TestAccounts = {
    operator: testAccount('it-operator', 'operator'),
    helpdesk: testAccount('it-helpdesk', 'helpdesk'),
    viewer: testAccount('it-viewer', 'viewer'),
    netHelpdesk: testAccount('it-net-helpdesk', 'helpdesk', ['example.net']),
  };
  for (const account of Object.values(accounts)) addAccount(dataDir, account);

  const env = { REPLICATOR_SOCKET: addresses.socket, DATA_DIR: dataDir, ...PROXY_ENV };
  server = await startDashboard(env, PORT);

  project.provide('dashboardUrl', server.url);
  project.provide('replicatorSocket', addresses.socket);
  project.provide('replicatorInet', addresses.inet);
  project.provide('primaryConf', addresses.primaryConf);
  project.provide('accounts', accounts);
  project.provide('dataDir', dataDir);
  return teardown;
}

async function teardown(): Promise<void> {
  server?.process.kill('SIGTERM');
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  pair('start');
}
