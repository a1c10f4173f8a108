/**
 * Global setup of the hostile-input tests: the reliability pair with only its 200 demo users
 * (every search is then cheap for the replicator, so 10,000 of them take seconds), and one
 * dashboard server whose hub polls once at start and then only after a change, so that
 * /metrics counts exactly the commands the requests caused. Its log is at info level: each
 * lost replicator connection is a line there.
 */
import type { TestProject } from 'vitest/node';

import { setUpPairAndDashboard } from './setup-common';

export const HOSTILE_PORT = Number(process.env.RELIABILITY_HOSTILE_PORT ?? 3112);

export default function setup(project: TestProject) {
  return setUpPairAndDashboard({
    project,
    users: 0,
    port: HOSTILE_PORT,
    env: {
      POLL_INTERVAL_MS: String(24 * 3600_000),
      COMMAND_TIMEOUT_MS: '10000',
      USERS_KEEP_MS: '1',
      LOG_LEVEL: 'info',
    },
    name: 'hostile',
  });
}
