/**
 * The reliability tests (`npm run test:reliability`, scripts/reliability.sh). Two projects,
 * run one after the other, each against the reliability pair (.dovecot-faults, ports
 * 24430-24432) loaded for its purpose, and each with its own dashboard server:
 * - hostile: generated inputs and HTTP hardening, against the 200 demo users (a search of a
 *   big replicator costs tens of ms even when nothing matches, times 10,000);
 * - faults: the replicator misbehaving, with 200,000 users so that a STATUS answer is large;
 * - scale: a million users read through the dashboard, the replicator's log watched.
 */
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

const shared = {
  // One real pair is shared: files run one after another.
  fileParallelism: false,
  testTimeout: 120_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  root,
  resolve: { alias: { '@': root } },
  test: {
    env: { NODE_ENV: 'test' },
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'hostile',
          include: ['tests/reliability/hostile/**/*.test.ts'],
          globalSetup: ['tests/reliability/support/hostile-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'faults',
          include: ['tests/reliability/faults/**/*.test.ts'],
          globalSetup: ['tests/reliability/support/faults-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'scale',
          include: ['tests/reliability/scale/**/*.test.ts'],
          globalSetup: ['tests/reliability/support/scale-setup.ts'],
        },
      },
    ],
  },
});
