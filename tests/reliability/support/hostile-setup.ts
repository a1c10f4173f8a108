/**
 * Global setup of the hostile-input tests: the reliability pair with only its 200 demo users
 * (every search is then cheap for the replicator, so 10,000 of them take seconds), and one
 * dashboard server whose hub polls once at start and then only after a change, and whose
 * stale-user count (a `STATUS *`) runs once at start, so that /metrics counts exactly the
 * commands the requests caused. Its log is at info level: each lost replicator connection is
 * a line there.
 */
import type { TestProject } from 'vitest/node';

import type { Dashboard } from './dashboard';
import { setUpPairAndDashboard } from './setup-common';

const DAY_MS = String(24 * 3600_000);

export const HOSTILE_PORT = Number(process.env.RELIABILITY_HOSTILE_PORT ?? 3112);

export default function setup(project: TestProject) {
  return setUpPairAndDashboard({
    project,
    users: 0,
    port: HOSTILE_PORT,
    env: {
      POLL_INTERVAL_MS: DAY_MS,
      STALE_REFRESH_MS: DAY_MS,
      COMMAND_TIMEOUT_MS: '10000',
      USERS_KEEP_MS: '1',
      LOG_LEVEL: 'info',
    },
    name: 'hostile',
    settled: staleUsersCounted,
  });
}

/** The first stale-user count is done once its gauge is in /metrics. */
async function staleUsersCounted(dashboard: Dashboard): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const metrics = await fetch(`${dashboard.url}/metrics`).then((r) => r.text());
    if (metrics.includes('dovecot_replicator_stale_users{')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the dashboard did not count its stale users within 30 s');
}
