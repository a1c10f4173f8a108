/**
 * Global setup of the scale test: the reliability pair with RELIABILITY_SCALE_USERS
 * (1,000,000) generated users, Dovecot's default replicator `vsz_limit`, and one dashboard
 * server as `npm start` runs it. A reader that falls behind a million-user answer makes the
 * replicator die of "Out of memory"; the test reads it and watches the log for that.
 */
import type { TestProject } from 'vitest/node';

import { setUpPairAndDashboard } from './setup-common';

export const SCALE_PORT = Number(process.env.RELIABILITY_SCALE_PORT ?? 3115);

export default function setup(project: TestProject) {
  return setUpPairAndDashboard({
    project,
    users: Number(process.env.RELIABILITY_SCALE_USERS ?? 1_000_000),
    port: SCALE_PORT,
    env: { MALLOC_ARENA_MAX: '2', LOG_LEVEL: 'warn', STALE_REFRESH_MS: '0' },
    name: 'scale',
  });
}
