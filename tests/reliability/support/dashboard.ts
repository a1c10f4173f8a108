/**
 * A dashboard server for the reliability run: the production build served by
 * `node --import tsx server/main.ts`, so the child's pid is the server itself and its CPU
 * and memory can be read from /proc. Short timeouts come from the environment; it may run
 * as another user (the permission fault). Its log goes to a file, not to the test output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { addAccount, signIn, type Role } from './auth';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Timeouts short enough that every fault shows within two seconds. */
export const FAST_TIMEOUTS = {
  POLL_INTERVAL_MS: '500',
  POLL_TIMEOUT_MS: '1000',
  COMMAND_TIMEOUT_MS: '3000',
  // Every search asks the replicator: kept results would hide the faults.
  USERS_KEEP_MS: '1',
} as const;

export interface DashboardOptions {
  port: number;
  socket: string;
  /** Extra environment, e.g. FAST_TIMEOUTS. */
  env?: Record<string, string>;
  /** Runs the server as this user (and its group), e.g. nobody. */
  user?: { uid: number; gid: number };
  /** A command that execs the server (so the pid stays), e.g. setpriv with its options. */
  wrap?: string[];
  logFile: string;
}

export class Dashboard {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly pid: number,
    private readonly dataDir: string,
    /** The session cookie every request carries; empty where no sign-in exists. */
    readonly cookie: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  /** Starts a server and waits until it answers HTTP and its session is signed in. */
  static async start(options: DashboardOptions): Promise<Dashboard> {
    if (!existsSync(join(ROOT, '.next/BUILD_ID'))) {
      throw new Error('no production build: run `npm run build` first');
    }
    const url = `http://127.0.0.1:${options.port}`;
    if (await answersHttp(url)) throw new Error(`something already listens at ${url}`);
    const dataDir = mkdtempSync(join(os.tmpdir(), 'reliability-data-'));
    const credentials = addAccount(dataDir);
    if (options.user !== undefined) chownTree(dataDir, options.user);

    const child = spawnServer(options, dataDir);
    await waitForHttp(child, url, 60_000);
    const cookie = await signIn(url, credentials);
    return new Dashboard(child, url, child.pid!, dataDir, cookie, options.user);
  }

  /** A session cookie of a new account with `role` (the server reads new accounts at once). */
  async sessionFor(role: Role): Promise<string> {
    const credentials = addAccount(this.dataDir, role);
    if (this.user !== undefined) chownTree(this.dataDir, this.user);
    return signIn(this.url, credentials);
  }

  /** True while the server process runs. */
  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** CPU seconds (user + system) the server has used so far. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS;
  }

  /** The server's resident memory, in bytes. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
  }

  async stop(): Promise<void> {
    if (this.alive()) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Linux's USER_HZ; the same on every architecture Debian ships. */
const CLOCK_TICKS = 100;

function spawnServer(options: DashboardOptions, dataDir: string): ChildProcess {
  const log = openSync(options.logFile, 'a');
  const [command, ...args] = [...(options.wrap ?? []), process.execPath, '--import', 'tsx',
    'server/main.ts'];
  return spawn(command!, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // As `npm start` runs it: its RSS is measured here.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      REPLICATOR_SOCKET: options.socket,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      AUTH_USERS_FILE: join(dataDir, 'users.json'),
      ...options.env,
    },
    uid: options.user?.uid,
    gid: options.user?.gid,
    stdio: ['ignore', log, log],
  });
}

async function waitForHttp(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the dashboard at ${url} exited at start`);
    if (await answersHttp(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the dashboard at ${url} did not answer within ${timeoutMs} ms`);
}

/** Whether a dashboard answers at `url` (any answer below 500, a 401 included). */
function answersHttp(url: string): Promise<boolean> {
  return fetch(`${url}/api/v1/replicators`).then((r) => r.status < 500, () => false);
}

function chownTree(dir: string, user: { uid: number; gid: number }): void {
  chownSync(dir, user.uid, user.gid);
  for (const file of ['users.json']) {
    const path = join(dir, file);
    if (existsSync(path)) chownSync(path, user.uid, user.gid);
  }
}

