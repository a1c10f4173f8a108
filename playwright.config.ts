import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (Playwright cannot download its own browser here),
 * against the production build served by server/main.ts on a port of its own.
 * REPLICATOR_SOCKET comes from scripts/dovecot-pair.sh (scripts/test-all.sh sets it).
 * The fleet tests (e2e/fleet*.spec.ts) get a second server, listing both sides of the
 * two-way pair of scripts/fleet-pair.sh, which this config starts.
 */
const port = Number(process.env.E2E_PORT ?? 3102);
const fleetPort = Number(process.env.E2E_FLEET_PORT ?? port + 1);
// Accounts, sessions and the audit trail of this run only. Set here, in the runner, so the
// web server, the global setup and every worker (they inherit the environment) share it.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'replicator-dashboard-e2e-'));
process.env.E2E_FLEET_DATA_DIR ??= startFleetPair();
const baseURL = `http://127.0.0.1:${port}`;
const fleetURL = `http://127.0.0.1:${fleetPort}`;

/** Starts the two-way pair and writes its listing; once, in the runner (workers inherit). */
function startFleetPair(): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'replicator-dashboard-e2e-fleet-'));
  execFileSync('bash', ['scripts/fleet-pair.sh', 'start'], { stdio: 'inherit' });
  execFileSync('bash', ['scripts/fleet-pair.sh', 'listing', path.join(dataDir, 'fleet.yaml')]);
  return dataDir;
}

/** Matched against the whole path, which may itself hold "fleet" (a folder's name). */
const FLEET_SPECS = /\/e2e\/fleet[^/]*\.spec\.ts$/;

const serverEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
};

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'replicator', testIgnore: FLEET_SPECS, use: { baseURL } },
    { name: 'fleet', testMatch: FLEET_SPECS, use: { baseURL: fleetURL } },
  ],
  webServer: [
    {
      command: 'node_modules/.bin/tsx server/main.ts',
      url: `${baseURL}/api/v1/replicators`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        ...serverEnv,
        PORT: String(port),
        REPLICATOR_SOCKET: process.env.REPLICATOR_SOCKET ?? '',
        DATA_DIR: process.env.E2E_DATA_DIR,
      },
    },
    {
      command: 'node_modules/.bin/tsx server/main.ts',
      url: `${fleetURL}/api/v1/replicators`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        ...serverEnv,
        PORT: String(fleetPort),
        REPLICATOR_SOCKET: '',
        REPLICATORS_FILE: path.join(process.env.E2E_FLEET_DATA_DIR, 'fleet.yaml'),
        // The same accounts as the other server; sessions, audit and jobs of its own.
        AUTH_USERS_FILE: path.join(process.env.E2E_DATA_DIR, 'users.json'),
        DATA_DIR: process.env.E2E_FLEET_DATA_DIR,
      },
    },
  ],
});
