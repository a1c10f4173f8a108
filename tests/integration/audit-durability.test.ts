/**
 * The audit trail is on disk before an answer leaves: every kind of event is found in the
 * SQLite file after the server was killed with SIGKILL right after its last answer. And ten
 * failed sign-ins for a name or from an address answer 429 until the window passes.
 */
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { basicAuth, call, signIn, untilListed } from './support/auth';
import { putBackInQueue, takeOutOfQueue } from './support/dovecot';
import {
  addAccount,
  makeDataDir,
  startDashboard,
  testAccount,
  type RunningServer,
} from './support/server';

const socket = inject('replicatorSocket');
const R = '/api/v1/replicators/default';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function dashboardWith(accounts: ReturnType<typeof testAccount>[], env = {}) {
  const dataDir = makeDataDir();
  dataDirs.push(dataDir);
  for (const account of accounts) addAccount(dataDir, account);
  const server = await startDashboard({ REPLICATOR_SOCKET: socket, DATA_DIR: dataDir, ...env });
  return { server, dataDir };
}

describe('after kill -9', () => {
  const operator = testAccount('op', 'operator');
  const helpdesk = testAccount('desk', 'helpdesk');
  const viewer = testAccount('view', 'viewer');
  // A userdb user, out of the queue for the add and remove below (see takeOutOfQueue).
  const added = 'user082@example.net';
  let rows: Record<string, unknown>[] = [];
  let server: RunningServer | undefined;

  // Should a step fail before the kill, the server must not outlive the tests.
  afterAll(() => {
    server?.process.kill('SIGKILL');
    putBackInQueue(inject('primaryConf'), added);
  });

  beforeAll(async () => {
    takeOutOfQueue(inject('primaryConf'), added);
    const started = await dashboardWith([operator, helpdesk, viewer]);
    server = started.server;
    const { dataDir } = started;
    const { url } = server;
    const as = (account: typeof operator) => ({ authorization: basicAuth(account) });

    await call(url, { method: 'POST', path: '/api/v1/session',
      body: { name: viewer.name, password: 'wrong' } });
    const cookie = await signIn(url, helpdesk);
    await call(url, { method: 'POST', path: `${R}/replicate`, headers: { cookie },
      body: { mask: 'user004@example.org', priority: 'high', full: true } });
    await call(url, { method: 'POST', path: `${R}/replicate`, headers: as(viewer),
      body: { mask: 'user004@example.org' } });
    await call(url, { method: 'POST', path: `${R}/replicate`, headers: as(operator),
      body: { mask: 'user004@example.org', priority: 'urgent' } });
    await call(url, { method: 'POST', path: `${R}/users`, headers: as(operator),
      body: { mask: added } });
    await untilListed(inject('primaryConf'), added);
    await call(url, { method: 'DELETE', path: `${R}/users/${encodeURIComponent(added)}`,
      headers: as(operator) });
    await call(url, { method: 'DELETE', path: '/api/v1/session', headers: { cookie } });

    await kill(server);
    const db = new Database(path.join(dataDir, 'audit.sqlite'), { readonly: true });
    rows = db.prepare('SELECT * FROM audit ORDER BY id').all() as Record<string, unknown>[];
    db.close();
  });

  const find = (fields: Record<string, unknown>) =>
    rows.find((row) => Object.entries(fields).every(([k, v]) => row[k] === v));

  it.each([
    ['a failed sign-in', { action: 'sign-in-failed', actor: 'view', outcome: 'refused',
      error_code: 'invalid_credentials' }],
    ['a sign-in', { action: 'sign-in', actor: 'desk', role: 'helpdesk', outcome: 'ok' }],
    ['an allowed replicate', { action: 'replicate', actor: 'desk', mask: 'user004@example.org',
      priority: 'high', full: 1, outcome: 'ok', updated: 1, replicator: 'default' }],
    ['a refused replicate', { action: 'replicate', actor: 'view', outcome: 'refused',
      error_code: 'forbidden', mask: 'user004@example.org' }],
    ['an invalid replicate', { action: 'replicate', actor: 'op', outcome: 'refused',
      error_code: 'bad_request' }],
    ['an add', { action: 'add', actor: 'op', outcome: 'ok' }],
    ['a remove', { action: 'remove', actor: 'op', outcome: 'ok' }],
    ['a sign-out', { action: 'sign-out', actor: 'desk', outcome: 'ok' }],
  ])('holds %s', (_what, fields) => {
    expect(find(fields)).toBeDefined();
  });

  it('has a time and a source address on every row', () => {
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(new Date(row.time as string).toISOString()).toBe(row.time);
      expect(row.source).toBe('127.0.0.1');
    }
  });
});

describe('ten failed sign-ins', () => {
  const victim = testAccount('victim', 'viewer');
  let server: RunningServer;

  beforeAll(async () => {
    ({ server } = await dashboardWith([victim], { AUTH_TRUSTED_PROXIES: '127.0.0.2' }));
  });
  afterAll(() => void server.process.kill('SIGTERM'));

  /** A sign-in through the trusted proxy (127.0.0.2), as if from `client`. */
  function signInFrom(client: string, name: string, password: string) {
    const body = JSON.stringify({ name, password });
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': client };
    return new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/api/v1/session`,
        { method: 'POST', localAddress: '127.0.0.2', headers }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'] as string | undefined });
        });
      request.on('error', reject).end(body);
    });
  }

  it('for one name, from ten addresses, lock that name with 429', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await signInFrom(`198.51.100.${i}`, 'victim', 'guess')).status).toBe(401);
    }

    const locked = await signInFrom('198.51.100.11', 'victim', victim.password);
    const other = await signInFrom('198.51.100.11', 'someone', 'guess');

    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(800);
    expect(other.status).toBe(401);
  });

  it('from one address, for ten names, lock that address with 429', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await signInFrom('203.0.113.7', `name${i}`, 'guess')).status).toBe(401);
    }

    expect((await signInFrom('203.0.113.7', 'anyone', 'guess')).status).toBe(429);
    expect((await signInFrom('203.0.113.8', 'anyone', 'guess')).status).toBe(401);
  });
});

function kill(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.kill('SIGKILL');
  });
}
