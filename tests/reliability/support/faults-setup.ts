/**
 * Global setup of the fault tests: the reliability pair with RELIABILITY_FAULT_USERS
 * (200,000) generated users, so that `STATUS *` is a 13 MB answer a fault can land in, and
 * one dashboard server with short timeouts that must survive every fault.
 */
import type { TestProject } from 'vitest/node';

import { FAST_TIMEOUTS } from './dashboard';
import { SocketFile, thaw } from './faults';
import { DovecotPair, FAULT_PAIR } from './pair';
import { setUpPairAndDashboard } from './setup-common';

export const FAULTS_PORT = Number(process.env.RELIABILITY_FAULTS_PORT ?? 3110);

export default async function setup(project: TestProject) {
  const teardown = await setUpPairAndDashboard({
    project,
    users: Number(process.env.RELIABILITY_FAULT_USERS ?? 200_000),
    port: FAULTS_PORT,
    // At info level the log has every connection and state change, for the post-mortem.
    env: { ...FAST_TIMEOUTS, LOG_LEVEL: 'info' },
    name: 'faults',
  });
  return async () => {
    try {
      undoLeftoverFaults();
    } finally {
      await teardown();
    }
  };
}

/** Whatever a failed test left behind: a frozen replicator, a removed socket file. */
function undoLeftoverFaults(): void {
  const pair = new DovecotPair(FAULT_PAIR);
  const pid = pair.replicatorPid();
  if (pid !== undefined) thaw(pid);
  new SocketFile(pair.paths().socket).restore();
}
