/**
 * Fault: the dashboard's user may not connect to the socket (0660 root:root, the dashboard
 * runs as `nobody`), the most common first-day failure. A dashboard of its own, started as
 * nobody, must say `permission_denied` with what to change, and connect by itself within
 * 2 s once the socket's mode lets it.
 */
import { join } from 'node:path';

import { afterAll, beforeAll, expect, inject, it } from 'vitest';

import { DashboardApi } from '../support/api';
import { Dashboard, FAST_TIMEOUTS } from '../support/dashboard';
import {
  expectEnded,
  expectRecovered,
  expectShownDown,
  summarise,
  type FaultContext,
} from '../support/fault-checks';
import { SocketFile, untilReplicatorAnswers } from '../support/faults';
import { LiveWatcher } from '../support/live';
import { DovecotPair, FAULT_PAIR } from '../support/pair';
import { record, runDir } from '../support/report';

const PORT = Number(process.env.RELIABILITY_PERMISSION_PORT ?? 3111);
const NOBODY = { uid: 65534, gid: 65534 };

let dashboard: Dashboard;
let ctx: FaultContext;
let file: SocketFile;
let modeBefore: number;
/** When the server answered HTTP for the first time. */
let readyAt: number;

beforeAll(async () => {
  const socket = inject('relSocket');
  file = new SocketFile(socket);
  modeBefore = file.mode;
  expect(modeBefore & 0o006, 'the socket is closed to others').toBe(0);

  dashboard = await Dashboard.start({
    port: PORT, socket, env: { ...FAST_TIMEOUTS }, user: NOBODY,
    logFile: join(runDir(), 'permission-server.log'),
  });
  readyAt = performance.now();
  const api = new DashboardApi(dashboard.url, dashboard.cookie);
  const live = await LiveWatcher.open(dashboard.url, dashboard.cookie);
  ctx = { api, live, pair: new DovecotPair(FAULT_PAIR), socket, commandTimeoutMs: 3_000 };
});

afterAll(async () => {
  file.mode = modeBefore;
  ctx?.live.close();
  await dashboard?.stop();
});

it('says permission_denied with a hint, and connects within 2 s of the fix', async () => {
  const shownMs = await expectShownDown(ctx, readyAt, ['permission_denied']);
  const replicateBefore = await ctx.api.commandCount('REPLICATE');
  const denied = await Promise.all([ctx.api.replicatorGet('/overview'), ctx.api.search('*'),
    ctx.api.replicate('alice@example.com', 'high')]);

  file.mode = 0o666;
  const fixedAt = await untilReplicatorAnswers(ctx.socket);
  const recoveredMs = await expectRecovered(ctx, fixedAt);

  for (const answer of denied) {
    expectEnded(answer, [{ status: 503, codes: ['permission_denied'] }], 0);
    expect(answer.body).toMatchObject({ error: { hint: expect.stringContaining('mode') } });
  }
  expect(await ctx.api.commandCount('REPLICATE')).toBe(replicateBefore);
  expect((await ctx.api.replicatorGet('/overview')).status).toBe(200);
  expect(dashboard.alive()).toBe(true);

  record({
    kind: 'fault', fault: 'permission denied on the socket (dashboard as nobody)',
    requests: ['overview', 'search *', 'replicate'].map((w, i) => summarise(w, denied[i]!)),
    shownMs: { api: shownMs.api, live: shownMs.live }, recoveredMs, lost: 0,
    notes: 'shown: ms from the first HTTP answer of the server; recovered: ms from chmod 0666',
  });
});
