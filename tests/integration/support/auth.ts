/**
 * Signing in from the integration tests: session cookies through the login API, kept per
 * account, and Basic auth headers for what scripts do.
 */
import { doveadm } from './dovecot';
import type { TestAccount } from './server';

const cookies = new Map<string, Promise<string>>();

/** Signs in and answers the `Cookie` header that carries the session. */
export async function signIn(url: string, account: TestAccount): Promise<string> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: account.name, password: account.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${account.name}: ${response.status}`);
  return sessionCookie(response);
}

/** The session cookie a response set, as a `Cookie` header value. */
export function sessionCookie(response: Response): string {
  const set = response.headers.getSetCookie().find((c) => c.startsWith('replicator_session='));
  if (set === undefined) throw new Error('no session cookie in the answer');
  return set.split(';')[0]!;
}

/** One session per account and server, made on first use. */
export function cookieOf(url: string, account: TestAccount): Promise<string> {
  const key = `${url} ${account.name}`;
  if (!cookies.has(key)) cookies.set(key, signIn(url, account));
  return cookies.get(key)!;
}

export function basicAuth(account: { name: string; password: string }): string {
  return `Basic ${Buffer.from(`${account.name}:${account.password}`).toString('base64')}`;
}

export interface Call {
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One API call; JSON bodies in and out, the answer's status and body back. */
export async function call(url: string, { method = 'GET', path, body, headers = {} }: Call) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, body: json, headers: response.headers };
}

/**
 * Waits until the replicator lists a user, asking doveadm (the dashboard keeps search
 * results a while): its ADD is answered before the user is queued, so a REMOVE right after
 * an ADD can find nobody.
 */
export async function untilListed(conf: string, username: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (doveadm(conf, ['status', username]).includes(username)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${username} was never listed`);
}
