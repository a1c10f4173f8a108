/**
 * What both reliability projects' global setups share: the reliability pair loaded with
 * some users, one dashboard server against it, and what the tests get to know of them.
 */
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { Dashboard } from './dashboard';
import { DovecotPair, FAULT_PAIR } from './pair';
import { runDir } from './report';

declare module 'vitest' {
  export interface ProvidedContext {
    relUrl: string;
    relCookie: string;
    relServerPid: number;
    relServerLog: string;
    relSocket: string;
    relUsers: number;
    relEnv: Record<string, string>;
  }
}

export interface SetupOptions {
  project: TestProject;
  users: number;
  port: number;
  env: Record<string, string>;
  name: string;
  /** Waits for whatever must have happened before the tests start. */
  settled?: (dashboard: Dashboard) => Promise<void>;
}

/** Loads the pair, starts the dashboard, provides both; returns the teardown. */
export async function setUpPairAndDashboard(options: SetupOptions) {
  const pair = new DovecotPair(FAULT_PAIR);
  const users = await pair.load(options.users);
  const { socket } = pair.paths();
  const logFile = join(runDir(), `${options.name}-server.log`);
  const { port, env } = options;
  const dashboard = await Dashboard.start({ port, socket, env, logFile });
  await options.settled?.(dashboard);

  const { project } = options;
  project.provide('relUrl', dashboard.url);
  project.provide('relCookie', dashboard.cookie);
  project.provide('relServerPid', dashboard.pid);
  project.provide('relServerLog', logFile);
  project.provide('relSocket', socket);
  project.provide('relUsers', users);
  project.provide('relEnv', options.env);

  return async () => {
    try {
      await dashboard.stop();
    } finally {
      await pair.stop();
    }
  };
}
