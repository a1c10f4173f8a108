import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (Playwright cannot download its own browser here),
 * against the production build served by server/main.ts on a port of its own.
 * REPLICATOR_SOCKET comes from scripts/dovecot-pair.sh (scripts/test-all.sh sets it).
 */
const port = Number(process.env.E2E_PORT ?? 3102);
// Accounts, sessions and the audit trail of this run only. Set here, in the runner, so the
// web server, the global setup and every worker (they inherit the environment) share it.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'replicator-dashboard-e2e-'));
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node_modules/.bin/tsx server/main.ts',
    url: `${baseURL}/api/v1/replicators`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      REPLICATOR_SOCKET: process.env.REPLICATOR_SOCKET ?? '',
      DATA_DIR: process.env.E2E_DATA_DIR,
    },
  },
});
