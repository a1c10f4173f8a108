/**
 * 10,000 generated masks and usernames (RELIABILITY_INPUTS) through the API to the real
 * replicator: each invalid one is refused with a 4xx before anything is sent, each valid
 * one causes exactly its one command, no connection to the replicator is lost, searches
 * leave the replicator's users as they were, and nothing answers 5xx.
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ReplicatorClient, parseAddress } from '@/server/replicator/client';

import { DashboardApi } from '../support/api';
import { hostilePlan, JUNK_PREFIX, type HostileCase } from '../support/hostile-inputs';
import { forEachLimited, rawRequest, type RawAnswer } from '../support/raw-http';
import { record } from '../support/report';

const COUNT = Number(process.env.RELIABILITY_INPUTS ?? 10_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261203);
const SECONDS = Number(process.env.RELIABILITY_INPUTS_SECONDS ?? 240);
const BASE = '/api/v1/replicators/default';

const url = inject('relUrl');
const cookie = inject('relCookie');
const api = new DashboardApi(url, cookie);
let replicator: ReplicatorClient;
let known: Set<string>;

beforeAll(async () => {
  replicator = new ReplicatorClient({ id: 'oracle', address: parseAddress(inject('relSocket')) });
  known = new Set((await replicator.listUsers('*')).users.map((user) => user.username));
});

afterAll(() => replicator.close());

/** The replicator's own count of users, asked on a connection of the test's own. */
async function replicatorUsers(): Promise<number> {
  return (await replicator.status()).totalUsers;
}

/** Connections to the replicator the dashboard lost so far, from its info-level log. */
function lostConnections(): number {
  const log = readFileSync(inject('relServerLog'), 'utf8');
  return log.split('\n').filter((line) =>
    line.includes('"msg":"connection state"') && line.includes('"from":"ready"')).length;
}

/** What is wrong with one answer, or null. */
function verdict(c: HostileCase, answer: RawAnswer): string | null {
  if (!c.statuses.includes(answer.status)) return `got ${answer.status}, want ${c.statuses}`;
  if (answer.status < 400) return null;
  if (/\n\s+at |node_modules|\.tsx?:\d+/.test(answer.body)) return 'a stack trace in the answer';
  if (answer.status === 431) return null;
  try {
    const error = (JSON.parse(answer.body) as { error?: { code?: unknown } }).error;
    return typeof error?.code === 'string' ? null : 'no error code';
  } catch {
    return `not JSON: ${answer.body.slice(0, 80)}`;
  }
}

function delta(after: Record<string, number>, before: Record<string, number>, name: string) {
  return (after[name] ?? 0) - (before[name] ?? 0);
}

/**
 * A search must have asked the replicator for exactly the text sent: its total is what the
 * replicator answers the test's own connection for that text.
 */
async function sameAsReplicator(c: HostileCase, answer: RawAnswer): Promise<string | null> {
  if (c.route !== 'search' || answer.status !== 200) return null;
  const total = (JSON.parse(answer.body) as { total: number }).total;
  const truth = (await replicator.listUsers(c.text)).users.length;
  return total === truth ? null : `total ${total}, but the replicator knows ${truth}`;
}

/** Sends every case; resolves with how many ran and the first failures. */
async function send(cases: readonly HostileCase[], concurrency: number) {
  const failures: string[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const ran = await forEachLimited(cases, concurrency, deadline, async (c) => {
    const answer = await rawRequest(url, cookie, c);
    const wrong = verdict(c, answer) ?? await sameAsReplicator(c, answer);
    if (wrong !== null && failures.length < 20) {
      failures.push(`${c.route} ${JSON.stringify(c.text.slice(0, 60))}: ${wrong}`);
    }
  });
  return { ran, failures };
}

it(`refuses the invalid, sends one command for each valid of ${COUNT} inputs`, async () => {
  const { reads, junk } = hostilePlan(COUNT, SEED, known);
  const before = await api.commandCounts();
  const usersBefore = await replicatorUsers();
  const lostBefore = lostConnections();
  const started = performance.now();

  const { ran, failures } = await send(reads, 16);

  const seconds = (performance.now() - started) / 1000;
  const after = await api.commandCounts();
  const usersAfter = await replicatorUsers();
  const expectedStatus = reads.filter((c) => c.command === 'STATUS').length;
  const expectedRemove = reads.filter((c) => c.command === 'REMOVE').length;
  const hubPolls = delta(after, before, 'STATUS-DSYNC');
  expect(failures).toEqual([]);
  expect(ran).toBe(reads.length);
  expect(delta(after, before, 'STATUS') - hubPolls).toBe(expectedStatus);
  expect(delta(after, before, 'REMOVE')).toBe(expectedRemove);
  expect(delta(after, before, 'REPLICATE') + delta(after, before, 'ADD')).toBe(0);
  expect(lostConnections() - lostBefore).toBe(0);
  expect(usersAfter).toBe(usersBefore);

  record({
    kind: 'inputs', tried: ran + junk.length, byRoute: countBy(reads.concat(junk)),
    refused: reads.filter((c) => c.command === null).length,
    expectedCommands: expectedStatus + expectedRemove,
    sentCommands: delta(after, before, 'STATUS') - hubPolls + delta(after, before, 'REMOVE'),
    disconnects: lostConnections() - lostBefore, usersBefore, usersAfter,
    seconds: Math.round(seconds),
  });
});

it('replicates junk names as one REPLICATE each, and nothing else happens', async () => {
  const { junk } = hostilePlan(COUNT, SEED, known);
  const before = await api.commandCounts();
  const usersBefore = await replicatorUsers();
  const lostBefore = lostConnections();

  const { ran, failures } = await send(junk, 8);
  const after = await api.commandCounts();
  const present = new Set((await replicator.listUsers('*')).users.map((user) => user.username));
  await removeJunk();

  expect(failures).toEqual([]);
  expect(ran).toBe(junk.length);
  expect(delta(after, before, 'REPLICATE')).toBe(junk.length);
  expect(delta(after, before, 'REMOVE') + delta(after, before, 'ADD')).toBe(0);
  expect([...known].filter((name) => !present.has(name))).toEqual([]);
  expect(lostConnections() - lostBefore).toBe(0);
  await expect.poll(replicatorUsers, { timeout: 30_000 }).toBe(usersBefore);
});

/** Raw paths a scanner tries; none may reach another route's action or a file. */
const PATH_TRICKS: { path: string; method?: string; statuses: number[]; status?: 0 | 1 }[] = [
  { path: `${BASE}/users/..%2F..%2F..%2Fetc%2Fpasswd`, statuses: [404], status: 1 },
  { path: `${BASE}/users/..%5C..%5Cwindows%5Cwin.ini`, statuses: [404], status: 1 },
  { path: `${BASE}/users/%2e%2e`, statuses: [308] },
  { path: `${BASE}/users/x/..`, method: 'DELETE', statuses: [308] },
  { path: `${BASE}/users/%00`, statuses: [400] },
  { path: `${BASE}/users/%C0%AE%C0%AE%C0%AF`, statuses: [400] },
  { path: '/api/v1/replicators/..%2Fdefault/overview', statuses: [404] },
  { path: '/api/v1/replicators/default%00/overview', statuses: [404] },
  { path: '/api/v1/replicators/%2E%2E/%2E%2E/metrics', statuses: [308, 404] },
  { path: '/_next/static/..%2F..%2Fpackage.json', statuses: [400, 404] },
  { path: '/_next/static/../../package.json', statuses: [308, 404] },
  { path: '/.env', statuses: [303, 404] },
  { path: '/.git/config', statuses: [303, 404] },
  { path: `${BASE}/users?mask=a&mask=%00`, statuses: [400] },
  { path: `${BASE}/users?mask[]=a`, statuses: [400] },
  { path: `${BASE}/users?mask=x%0AREMOVE%09alice%40example.com&limit=1`, statuses: [200],
    status: 1 },
];

describe('path tricks', () => {
  // The inputs' replicates left jobs, which their next polls (set off by each action) read
  // with a STATUS of their mask; counting one request's commands needs those done first.
  beforeAll(untilCommandsSettle, 60_000);

  it.each(PATH_TRICKS)('keeps $path to its own route and its own command', pathTrick);
});

async function pathTrick(trick: (typeof PATH_TRICKS)[number]): Promise<void> {
  const before = await api.commandCounts();

  const answer = await rawRequest(url, cookie, { method: trick.method ?? 'GET', path: trick.path });

  const after = await api.commandCounts();
  expect(trick.statuses).toContain(answer.status);
  expect(answer.body).not.toMatch(/root:x:0|"name": "replicator-dashboard"|\[core\]/);
  expect(delta(after, before, 'STATUS')).toBe(trick.status ?? 0);
  expect(delta(after, before, 'REMOVE') + delta(after, before, 'REPLICATE')).toBe(0);
  expect(known.has('alice@example.com')).toBe(true);
}

/** Waits until no command was sent to the replicator for two seconds. */
async function untilCommandsSettle(): Promise<void> {
  let last = JSON.stringify(await api.commandCounts());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const now = JSON.stringify(await api.commandCounts());
    if (now === last) return;
    last = now;
  }
}

/** Removes every junk user through the API, as their exact names. */
async function removeJunk(): Promise<void> {
  const { users } = await replicator.listUsers(`${JUNK_PREFIX}*`);
  for (const { username } of users) {
    const path = `${BASE}/users/${encodeURIComponent(username).replace(/\./g, '%2E')}`;
    const answer = await rawRequest(url, cookie, { method: 'DELETE', path });
    expect([200, 404]).toContain(answer.status);
  }
}

function countBy(cases: HostileCase[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) counts[c.route] = (counts[c.route] ?? 0) + 1;
  return counts;
}
