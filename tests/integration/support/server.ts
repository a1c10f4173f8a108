/**
 * Dashboard servers for the integration tests: the production build run by server/main.ts
 * with a data directory of its own, and accounts made with the real `npm run users` CLI.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TestAccount {
  name: string;
  password: string;
  role: 'viewer' | 'helpdesk' | 'operator';
  domains?: string[];
}

export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'replicator-dashboard-test-'));
}

/** Adds an account through the CLI, the password on standard input, as a script would. */
export function addAccount(dataDir: string, account: TestAccount): void {
  const args = ['server/auth/cli.ts', 'add', account.name, '--role', account.role];
  if (account.domains !== undefined) args.push('--domains', account.domains.join(','));
  execFileSync('node_modules/.bin/tsx', args, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    input: account.password,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

/** Gives an account a new password through the CLI (`npm run users -- passwd NAME`). */
export function changePassword(dataDir: string, name: string, password: string): void {
  execFileSync('node_modules/.bin/tsx', ['server/auth/cli.ts', 'passwd', name], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    input: password,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}

export function testAccount(
  name: string,
  role: TestAccount['role'],
  domains?: string[],
): TestAccount {
  return { name, role, domains, password: randomBytes(12).toString('base64url') };
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
}

/**
 * Starts a dashboard and resolves once it listens. On port 0 the system chooses a free
 * port, which the server's "dashboard listening" log line names; its log is read up to
 * there and dropped after. On a fixed port the log (warnings only) goes to the terminal.
 */
export async function startDashboard(
  env: Record<string, string>,
  port = 0,
): Promise<RunningServer> {
  // Node itself with tsx's loader, not the tsx CLI, which would run the server in a child
  // process: a SIGKILL must reach the server, and no signal can be relayed.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port),
      LOG_LEVEL: port === 0 ? 'info' : 'warn', ...env },
    stdio: ['ignore', port === 0 ? 'pipe' : 'inherit', 'inherit'],
  });
  const url = port === 0 ? await announcedUrl(child) : `http://127.0.0.1:${port}`;
  if (port !== 0) await waitForAnswer(child, url);
  return { url, process: child };
}

function announcedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the dashboard did not start')), 60_000);
    child.once('exit', (code) => reject(new Error(`the dashboard exited at start: ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const url = /"url":"(http:[^"]+)"[^\n]*"msg":"dashboard listening"/.exec(buffered)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve(url);
    });
  });
}

/** Any HTTP answer (a 401 without a session) means the server is up. */
async function waitForAnswer(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the dashboard server exited at start');
    const up = await fetch(`${url}/api/v1/replicators`).then(() => true, () => false);
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the dashboard server did not answer ${url} in 60 s`);
}
