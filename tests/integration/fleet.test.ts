/**
 * The fleet views against three real replicators: the integration pair's ("main", by its
 * socket) and both sides of the two-way pair ("west" through the doveadm HTTP API, "east"
 * by its socket, declared as pair "west-east"). One side is stopped, and then frozen, to
 * prove the others keep answering fast and the fleet says which one is down.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { basicAuth, call } from './support/auth';
import { fleetPair, fleetPairAddresses, until } from './support/fleet';
import {
  addAccount,
  makeDataDir,
  startDashboard,
  testAccount,
  type RunningServer,
} from './support/server';

const operator = testAccount('fleet-operator', 'operator');
const viewer = testAccount('fleet-viewer', 'viewer');
/** Each replicator's part of a fleet search may take this long (FLEET_TIMEOUT_MS). */
const FLEET_TIMEOUT_MS = 1500;

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  fleetPair('start');
  dataDir = makeDataDir();
  for (const account of [operator, viewer]) addAccount(dataDir, account);

  const listing = path.join(dataDir, 'replicators.yaml');
  fleetPair('listing', listing);
  const main = `  - id: main\n    name: Main\n    socket: ${inject('replicatorSocket')}\n`;
  writeFileSync(listing, readFileSync(listing, 'utf8').replace('replicators:\n',
    `replicators:\n${main}`));

  server = await startDashboard({
    REPLICATORS_FILE: listing, REPLICATOR_SOCKET: '', DATA_DIR: dataDir,
    POLL_INTERVAL_MS: '500', POLL_TIMEOUT_MS: '1000', FLEET_TIMEOUT_MS: String(FLEET_TIMEOUT_MS),
  });
  await until('every replicator answering', async () =>
    (await fleet()).replicators.every((r: { connected: boolean }) => r.connected));
});

afterAll(() => {
  server?.process.kill('SIGTERM');
  fleetPair('start');
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

function get(pathname: string, account = operator) {
  return call(server.url, { path: pathname, headers: { authorization: basicAuth(account) } });
}

async function fleet(account = operator) {
  return (await get('/api/v1/fleet', account)).body;
}

describe('the fleet overview', () => {
  it('lists every replicator with its counters, and totals over them', async () => {
    const body = await fleet();
    const ids = body.replicators.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['main', 'west', 'east']);

    const users = body.replicators.map((r: { overview: { totalUsers: number } }) =>
      r.overview.totalUsers);
    expect(body.totals.totalUsers).toBe(users.reduce((a: number, b: number) => a + b, 0));
    expect(body.totals).toMatchObject({ reachable: 3, unreachable: 0 });
    expect(body.pairs).toEqual([{ id: 'west-east', name: 'West ⇄ East',
      replicators: ['west', 'east'] }]);
  });

  it('names the transport, and gives the address to operators only', async () => {
    const asOperator = (await fleet()).replicators[1];
    const asViewer = (await fleet(viewer)).replicators[1];

    expect(asOperator.transport).toEqual({ kind: 'doveadm-http',
      unknownUserFields: ['nextSyncSeconds'], relativeTimes: true });
    expect(asOperator.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/doveadm\/v1$/);
    expect(asViewer).not.toHaveProperty('address');
    const listed = (await get('/api/v1/replicators', viewer)).body.replicators;
    expect(listed.every((r: object) => !('address' in r))).toBe(true);
  });

  it('shows what the HTTP API cannot tell as unknown: null plus the flag', async () => {
    const page = (await get('/api/v1/replicators/west/users?mask=alice%40example.com')).body;
    expect(page.unknownFields).toEqual(['nextSyncSeconds']);
    expect(page.users[0].nextSyncSeconds).toBeNull();

    const socketPage = (await get('/api/v1/replicators/east/users?mask=alice%40example.com')).body;
    expect(socketPage.unknownFields).toEqual([]);
    const detail = (await get('/api/v1/replicators/west/users/alice%40example.com')).body;
    expect(detail.unknownFields).toEqual(['nextSyncSeconds']);
  });
});

describe('the search over all replicators', () => {
  it('merges one mask from every replicator, the replicator as a column', async () => {
    const { status, body } = await get('/api/v1/fleet/users?mask=alice%40example.com');

    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.users.map((u: { replicator: string }) => u.replicator)).toEqual(
      ['east', 'main', 'west']);
    expect(body.parts.every((p: { answered: boolean }) => p.answered)).toBe(true);
  });

  it('pages through the merged order: username, then replicator', async () => {
    const first = (await get('/api/v1/fleet/users?mask=user00%3F%40example.net&limit=5')).body;
    const next = (await get(
      '/api/v1/fleet/users?mask=user00%3F%40example.net&limit=5&offset=5')).body;

    expect(first.total).toBe(27);
    const rows = [...first.users, ...next.users].map(
      (u: { username: string; replicator: string }) => `${u.username} ${u.replicator}`);
    expect(rows.slice(0, 4)).toEqual(['user001@example.net east', 'user001@example.net main',
      'user001@example.net west', 'user002@example.net east']);
    expect(new Set(rows).size).toBe(10);
  });

  it('refuses a bad mask before any replicator is asked', async () => {
    const { status, body } = await get('/api/v1/fleet/users?mask=');
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
  });
});

describe('the two-way pair', () => {
  it('shows one user on both sides', async () => {
    const { body } = await get('/api/v1/pairs/west-east/users/alice%40example.com');

    expect(body.sides.map((s: { replicator: string }) => s.replicator)).toEqual(['west', 'east']);
    expect(body.sides[0].user.username).toBe('alice@example.com');
    expect(body.sides[1].user.username).toBe('alice@example.com');
    expect(body.sides[0].unknownUserFields).toEqual(['nextSyncSeconds']);
  });

  it('lists a user one side lacks, and not once both have it again', async () => {
    const name = 'carol@example.com';
    const auth = { authorization: basicAuth(operator) };
    // A pair started fresh syncs every user once on both sides, slowly where the two sides'
    // syncs wait on each other's mailbox locks (a clean run still had 171 of 200 queued after
    // six minutes): carol is synced on each side first, one side after the other.
    await replicateOn('west', name);
    await until('west synced carol', async () => (await sideOf('west', name)).lastSuccessfulSync
      !== null, 60_000);
    await replicateOn('east', name);
    await until('carol synced on both sides', async () => !(await disagreementOf(name)),
      60_000);
    const removed = await call(server.url, { method: 'DELETE', headers: auth,
      path: `/api/v1/replicators/east/users/${encodeURIComponent(name)}` });
    expect(removed.status).toBe(200);

    const list = await get('/api/v1/pairs/west-east/disagreements');
    const carol = list.body.disagreements.find((d: { username: string }) => d.username === name);
    expect(carol).toMatchObject({ reason: 'missing', side: 'east' });
    expect(list.body.behindSeconds).toBe(25 * 3600);

    // Added back and synced at once: a user east knows but never synced is still "behind".
    const back = await call(server.url, { method: 'POST', headers: auth,
      body: { mask: name, priority: 'high' }, path: '/api/v1/replicators/east/replicate' });
    expect(back.status).toBe(200);
    // A comparison reads kept results, up to USERS_KEEP_MS (10 s) old; east's dsync of carol
    // may wait for a slot the first syncs of other users hold.
    await until('carol agreed on', async () => {
      const again = await get('/api/v1/pairs/west-east/disagreements');
      return !again.body.disagreements.some((d: { username: string }) => d.username === name);
    }, 75_000);
  }, 240_000);

  it('lists a user whose sync failed on one side, and not once it is repaired', async () => {
    const name = 'dave@example.com';
    const home = path.join(fleetPairAddresses().replicaMailRoot, 'example.com', 'dave');
    // A plain file where the replica's home should be: every dsync of dave there fails.
    rmSync(home, { recursive: true, force: true });
    writeFileSync(home, 'broken on purpose by the fleet tests\n');
    try {
      await replicateOn('west', name);
      await until('dave failed', async () => (await disagreementOf(name))?.reason === 'failed',
        40_000);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }

    // West first: its dsync makes the replica's home again, which east's dsync reads from.
    await replicateOn('west', name);
    await until('west synced dave', async () => !(await sideOf('west', name)).failed, 40_000);
    await replicateOn('east', name);
    let lastSeen: unknown;
    await until(() => `dave agreed on (last: ${JSON.stringify(lastSeen)})`, async () => {
      lastSeen = await disagreementOf(name);
      return lastSeen === undefined;
    }, 40_000);
  });

  it('answers 404 for a pair the listing does not declare', async () => {
    const { status, body } = await get('/api/v1/pairs/nope/disagreements');
    expect(status).toBe(404);
    expect(body.error.code).toBe('unknown_pair');
  });
});

async function replicateOn(replicator: string, mask: string): Promise<void> {
  const answer = await call(server.url, {
    method: 'POST', headers: { authorization: basicAuth(operator) },
    body: { mask, priority: 'high', full: true },
    path: `/api/v1/replicators/${replicator}/replicate`,
  });
  expect(answer.status).toBe(200);
}

async function sideOf(replicator: string, username: string) {
  const path = `/api/v1/pairs/west-east/users/${encodeURIComponent(username)}`;
  const { body } = await get(path);
  const side = body.sides.find((s: { replicator: string }) => s.replicator === replicator);
  return side.user as { failed: boolean; lastSuccessfulSync: string | null };
}

async function disagreementOf(username: string) {
  const { body } = await get('/api/v1/pairs/west-east/disagreements');
  return body.disagreements.find((d: { username: string }) => d.username === username) as
    { reason: string; side: string } | undefined;
}

/** Every route of a replicator that must not notice another one being down. */
const ROUTES = (id: string) => [
  `/api/v1/replicators/${id}/overview`,
  `/api/v1/replicators/${id}/dsyncs`,
  `/api/v1/replicators/${id}/users?mask=*%40example.org&limit=10`,
  `/api/v1/replicators/${id}/users/bob%40example.com`,
];

async function timed(pathname: string) {
  const started = performance.now();
  const answer = await get(pathname);
  return { ...answer, ms: performance.now() - started };
}

async function expectOthersFast(down: string): Promise<void> {
  for (const id of ['main', 'west']) {
    for (const route of ROUTES(id)) {
      const { status, ms } = await timed(route);
      expect(status, route).toBe(200);
      expect(ms, route).toBeLessThan(1000);
    }
  }
  const search = await timed('/api/v1/fleet/users?mask=bob%40example.com');
  expect(search.status).toBe(200);
  expect(search.ms).toBeLessThan(FLEET_TIMEOUT_MS + 1000);
  expect(search.body.users.map((u: { replicator: string }) => u.replicator)).toEqual(
    ['main', 'west']);
  const silent = search.body.parts.filter((p: { answered: boolean }) => !p.answered);
  expect(silent.map((p: { id: string }) => p.id)).toEqual([down]);
}

describe('one replicator down', () => {
  it('stopped: the others answer fast and the fleet shows it down', async () => {
    fleetPair('stop', 'replica');
    try {
      await expectStoppedShownDown();
      await expectOthersFast('east');
    } finally {
      fleetPair('start');
    }
    await until('east back', async () => (await fleet()).replicators[2].connected, 5000);
  });

  it('frozen (SIGSTOP): the others answer fast, its search part times out', async () => {
    const pid = replicatorPid(fleetPairAddresses().replicaConf);
    process.kill(pid, 'SIGSTOP');
    try {
      await until('east shown down', async () => !(await fleet()).replicators[2].connected,
        5000);
      await expectOthersFast('east');
      const search = await get('/api/v1/fleet/users?mask=bob%40example.com');
      const east = search.body.parts.find((p: { id: string }) => p.id === 'east');
      expect(east.error.code).toBe('timeout');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await until('east back', async () => (await fleet()).replicators[2].connected, 5000);
  });
});

/**
 * East shown down for good within 3 s: while Dovecot stops, the replicator may first hang
 * up ("disconnected"); then the socket is gone. Viewers read its name, not its path.
 */
async function expectStoppedShownDown(): Promise<void> {
  await until('east shown down, socket gone', async () => {
    const east = (await fleet()).replicators[2];
    return !east.connected && /^(no_such_socket|connection_refused)$/.test(east.error?.code);
  }, 3000);
  const body = await fleet();
  expect(body.totals).toMatchObject({ reachable: 2, unreachable: 1 });
  expect(body.replicators[2].overview).toBeNull();

  const socketPath = fleetPairAddresses().replicaSocket;
  expect(body.replicators[2].error.message).toContain(socketPath);
  const asViewer = (await fleet(viewer)).replicators[2];
  expect(JSON.stringify(asViewer)).not.toContain(socketPath);
  expect(asViewer.error.message).toContain('East');
}

/** The replicator process of a Dovecot instance: a child of its master (from /proc). */
function replicatorPid(conf: string): number {
  const run = execFileSync('doveconf', ['-c', conf, '-h', 'base_dir'], { encoding: 'utf8' });
  const master = Number(readFileSync(path.join(run.trim(), 'master.pid'), 'utf8'));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === master && command.includes('replicator')) return Number(entry);
    } catch {
      // A process that ended while being read is not the replicator we look for.
    }
  }
  throw new Error(`no replicator process under master ${master}`);
}
