/**
 * Credentials for the reliability run: an operator account made with the users CLI in the
 * test server's own DATA_DIR, and one signed-in session whose cookie every request and
 * socket carries (a cookie, not Basic, so that the load run measures the dashboard and not
 * one password hash per request). `authHeaders` is the one place that says how.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'server/auth/cli.ts');

export interface Credentials {
  name: string;
  password: string;
}

export type Role = 'viewer' | 'helpdesk' | 'operator';

/** Adds an account to `dataDir`'s accounts file; null where the CLI is absent. */
export function addAccount(dataDir: string, role: Role = 'operator'): Credentials | null {
  if (!existsSync(CLI)) return null;

  const name = `reliability-${role}`;
  const password = randomBytes(18).toString('base64url');
  execFileSync(process.execPath, ['--import', 'tsx', CLI, 'add', name, '--role', role], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, AUTH_USERS_FILE: join(dataDir, 'users.json') },
    input: password,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  return { name, password };
}

/**
 * Signs in and returns the session cookie (`name=value`). A dashboard without sign-in
 * (404 on the session route) needs none: the answer is then the empty string.
 */
export async function signIn(url: string, credentials: Credentials | null): Promise<string> {
  if (credentials === null) return '';
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status === 404) return '';
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);

  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

/** The headers that authenticate a request or a socket.io handshake with `cookie`. */
export function authHeaders(cookie: string): Record<string, string> {
  return cookie === '' ? {} : { cookie };
}
