/**
 * Several dashboard instances against two real replicators, with real Redis and PostgreSQL:
 * one poller per replicator, the others answering with its live data, a takeover after the
 * poller is killed, live events from one instance in a browser on another, and one audit
 * trail, one job list and one sign-out for all.
 */
import { appendFileSync } from 'node:fs';

import { chromium, type Browser } from '@playwright/test';
import { Redis } from 'ioredis';
import { io as connectLive } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { doveadm, putBackInQueue, takeOutOfQueue } from '../integration/support/dovecot';
import type { RunningServer } from '../integration/support/server';
import {
  basic,
  leaseHolders,
  pollCounts,
  PORTS,
  startInstance,
  until,
} from './support/instances';

const IDS = ['east', 'west'];
const POLL_INTERVAL_MS = 1000;
const operator = inject('operator');
const auth = basic(operator);

let redis: Redis;
let a: RunningServer;
let b: RunningServer;

const ownerPid = (holder: string | null) => Number(holder?.split(':')[1]);
const api = (server: RunningServer, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { ...auth, ...init.headers } });
const json = async (server: RunningServer, path: string) => (await api(server, path)).json();

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  // A first, alone: it takes both leases; B then finds them held.
  a = await startInstance(PORTS[0]!);
  await until(async () => {
    const holders = await leaseHolders(redis, IDS);
    return IDS.every((id) => ownerPid(holders[id]!) === a.process.pid);
  }, 10_000, 'A holds both leases');
  // B as behind a balancer without sticky sessions: its browsers use WebSocket only.
  b = await startInstance(PORTS[1]!, { LIVE_TRANSPORT: 'websocket' });
}, 120_000);

afterAll(async () => {
  for (const server of [a, b]) server?.process.kill('SIGTERM');
  redis?.disconnect();
});

describe('several instances', () => {
  it('poll each replicator from one instance only', async () => {
    const before = [await pollCounts(a.url), await pollCounts(b.url)];
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_INTERVAL_MS));
    const after = [await pollCounts(a.url), await pollCounts(b.url)];

    for (const id of IDS) {
      const polls = [0, 1].map((i) => (after[i]![id] ?? 0) - (before[i]![id] ?? 0));
      expect({ id, byA: polls[0]! >= 2, byB: polls[1] }).toEqual({ id, byA: true, byB: 0 });
    }
    const holders = await leaseHolders(redis, IDS);
    expect(IDS.map((id) => ownerPid(holders[id]!))).toEqual([a.process.pid, a.process.pid]);
  });

  it("answer the overview, dsyncs and state from the poller's live data", async () => {
    // The same answers, down to the poll's time, which only the poller's hub can know.
    const same = async (path: string) =>
      JSON.stringify(await json(a, path)) === JSON.stringify(await json(b, path));
    for (const id of IDS) {
      for (const path of [`/api/v1/replicators/${id}/overview`,
        `/api/v1/replicators/${id}/dsyncs`]) {
        await until(() => same(path), 3 * POLL_INTERVAL_MS, `the same ${path}`);
      }
    }
    for (const id of IDS) {
      const stale = `/api/v1/replicators/${id}/stale`;
      await until(async () => (await json(a, stale)).count !== null, 5_000, 'A counts');
      expect(await json(b, stale)).toEqual(await json(a, stale));
    }
    const states = await json(b, '/api/v1/replicators');
    expect(states.replicators).toEqual(IDS.map((id) =>
      expect.objectContaining({ id, connected: true, error: null })));
  });

  it('show an event polled by instance A in a browser on instance B', async () => {
    const browser = await launch();
    try {
      await browserSeesChangeFromA(browser);
    } finally {
      await browser.close();
      putBackInQueue(inject('west').primaryConf, 'alice@example.com');
    }
  });

  it("send a mask watched on B with rows A polled, B asking the replicator nothing",
    async () => {
      const statusBefore = await commandCount(b, 'west', 'STATUS');
      const socket = connectLive(b.url, { transports: ['websocket'], forceNew: true,
        reconnection: false, extraHeaders: auth });
      try {
        const rows = new Promise<{ total: number; users: { username: string }[] }>(
          (resolve) => socket.on('users', resolve));
        await socket.emitWithAck('watch', { replicator: 'west', mask: 'user00?@example.org' });

        const { total, users } = await rows;
        expect(total).toBe(9);
        expect(users[0]!.username).toBe('user001@example.org');
      } finally {
        socket.close();
      }
      expect(await commandCount(b, 'west', 'STATUS')).toBe(statusBefore);
    });

  it("send a domain-limited account on B only its domain's rows of a watched mask",
    async () => {
      const desk = basic(inject('orgHelpdesk'));
      const search = await fetch(`${a.url}/api/v1/replicators/west/users?mask=*&limit=0`,
        { headers: desk });
      const { total: visible } = await search.json();
      const socket = connectLive(b.url, { transports: ['websocket'], forceNew: true,
        reconnection: false, extraHeaders: desk });
      try {
        const rows = new Promise<{ total: number; users: { username: string }[] }>(
          (resolve) => socket.on('users', resolve));
        await socket.emitWithAck('watch', { replicator: 'west', mask: '*' });

        const { total, users } = await rows;
        expect(total).toBe(visible);
        expect(users.every((u) => u.username.endsWith('@example.org'))).toBe(true);
      } finally {
        socket.close();
      }
    });

  it('share one audit trail and one job list; a job started on B is followed by A',
    async () => {
      const mask = 'bob@example.com';
      const answer = await api(b, '/api/v1/replicators/west/replicate', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mask, priority: 'high', full: false }),
      });
      expect(answer.status).toBe(200);
      const { jobId } = await answer.json();

      const path = `/api/v1/audit?actor=${operator.name}&action=replicate&limit=5`;
      const [rowsA, rowsB] = [await json(a, path), await json(b, path)];
      expect(rowsA).toEqual(rowsB);
      expect(rowsA.entries[0]).toMatchObject({ mask, outcome: 'ok', replicator: 'west' });

      const job = () => json(a, `/api/v1/jobs/${jobId}`);
      await until(async () => (await job()).job.state === 'finished', 30_000, 'the job ends')
        .catch(async (error: Error) => {
          throw new Error(`${error.message}: ${JSON.stringify(await job())}`);
        });
      expect((await json(b, `/api/v1/jobs/${jobId}`)).job).toMatchObject({
        state: 'finished', counts: { done: 1 } });
    });

  it('end a session signed out on one instance on every instance', async () => {
    const signIn = await fetch(`${a.url}/api/v1/session`, { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: operator.name, password: operator.password }) });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const asCookie = (server: RunningServer, method = 'GET') =>
      fetch(`${server.url}/api/v1/session`, { method, headers: { cookie } });
    expect((await asCookie(b)).status).toBe(200);

    expect((await asCookie(b, 'DELETE')).status).toBe(200);

    await until(async () => (await asCookie(a)).status === 401, 2_000, 'A refuses the cookie');
  });

  it('hand the polls to another instance within two poll intervals of a SIGKILL', async () => {
    const before = await pollCounts(b.url);
    const killed = performance.now();
    a.process.kill('SIGKILL');

    const tookOver: Record<string, number> = {};
    await until(async () => {
      const counts = await pollCounts(b.url);
      for (const id of IDS) {
        if (tookOver[id] === undefined && (counts[id] ?? 0) > (before[id] ?? 0)) {
          tookOver[id] = Math.round(performance.now() - killed);
        }
      }
      return IDS.every((id) => tookOver[id] !== undefined);
    }, 10_000, 'B polls both replicators');

    report(`takeover after SIGKILL: ${JSON.stringify(tookOver)} ms`);
    for (const id of IDS) expect(tookOver[id]).toBeLessThan(2 * POLL_INTERVAL_MS);
    const holders = await leaseHolders(redis, IDS);
    expect(IDS.map((id) => ownerPid(holders[id]!))).toEqual([b.process.pid, b.process.pid]);
  });
});

/** Commands of one kind an instance sent to one replicator, from its /metrics. */
async function commandCount(server: RunningServer, id: string, command: string) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = new RegExp(
    `^dovecot_replicator_commands_total\\{replicator="${id}",command="${command}"\\} (\\d+)$`,
    'm');
  return Number(line.exec(text)?.[1] ?? 0);
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A browser signed in on B shows West's total users; a user removed from the queue and added
 * back through A's API changes it, and B's page follows each change: the overview events come
 * from A, the instance that polls West, through socket.io's Redis adapter. (West's pair is
 * the tests' own: the project pair's users stay as the other suites expect them.)
 */
async function browserSeesChangeFromA(browser: Browser): Promise<void> {
  const context = await browser.newContext({ baseURL: b.url });
  const signIn = await context.request.post('/api/v1/session',
    { data: { name: operator.name, password: operator.password } });
  expect(signIn.status()).toBe(200);
  const page = await context.newPage();
  await page.goto('/r/west');
  const total = page.getByRole('list', { name: 'Queue counters' }).getByRole('listitem')
    .filter({ hasText: 'Total users' });

  const users = () => json(a, '/api/v1/replicators/west/overview');
  // The item's text runs the label into the number ("Total users200").
  const shown = async (n: number) => total.filter({ hasText: new RegExp(`\\D${n}(\\D|$)`) })
    .waitFor({ timeout: 5_000 });
  const start = (await users()).totalUsers as number;
  await shown(start);

  takeOutOfQueue(inject('west').primaryConf, 'alice@example.com');
  await shown(start - 1);

  const added = await api(a, '/api/v1/replicators/west/users', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mask: 'alice@example.com' }) });
  expect(added.status).toBe(200);
  await shown(start);
  expect(doveadm(inject('west').primaryConf, ['status', 'alice@example.com']))
    .toContain('alice@example.com');
}

/** A measured figure: on the test output, and into the reports folder when there is one. */
function report(line: string): void {
  process.stderr.write(`[cluster] ${line}\n`);
  const dir = process.env.TEST_REPORTS_DIR;
  if (dir !== undefined) appendFileSync(`${dir}/cluster-figures.txt`, `${line}\n`);
}
