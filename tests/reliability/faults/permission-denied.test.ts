/**
 * Fault: the dashboard's user may not connect to the socket, the most common first-day
 * failure. A dashboard of its own runs as `nobody` against the pair's 0660 root:root socket;
 * where `nobody` cannot read this clone (a clone under /root), it runs as root without the
 * capabilities that bypass file modes, against the socket handed to Dovecot's internal user,
 * which is Dovecot's own default. It must say `permission_denied` with what to change, and
 * connect by itself within 2 s once the socket's mode lets it.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, expect, inject, it } from 'vitest';

import { DashboardApi } from '../support/api';
import { Dashboard, FAST_TIMEOUTS, type DashboardOptions } from '../support/dashboard';
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

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PORT = Number(process.env.RELIABILITY_PERMISSION_PORT ?? 3111);
const NOBODY = { uid: 65534, gid: 65534 };
const WITHOUT_DAC = ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--'];

let dashboard: Dashboard;
let ctx: FaultContext;
let file: SocketFile;
let before: { mode: number; uid: number; gid: number };
let how: string;
/** When the server answered HTTP for the first time. */
let readyAt: number;

/** Whether `nobody` can read the server's entry and its packages in this clone. */
function nobodyCanRead(): boolean {
  const files = ['server/main.ts', 'node_modules/next/package.json', '.next/BUILD_ID'];
  return files.every((f) => spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r',
    join(ROOT, f)]).status === 0);
}

/** How this machine can make the dashboard a user the socket refuses. */
function deniedUser(socket: string): Pick<DashboardOptions, 'user' | 'wrap'> {
  // RELIABILITY_PERMISSION_USER=root tries the fallback on a machine that has no need of it.
  if (process.env.RELIABILITY_PERMISSION_USER !== 'root' && nobodyCanRead()) {
    how = 'as nobody against the 0660 root:root socket';
    return { user: NOBODY };
  }
  const dovecot = Number(spawnSync('id', ['-u', 'dovecot'], { encoding: 'utf8' }).stdout);
  chownSync(socket, dovecot, dovecot);
  how = 'as root without CAP_DAC_OVERRIDE against the socket owned by dovecot (0660)';
  return { wrap: WITHOUT_DAC };
}

beforeAll(async () => {
  const socket = inject('relSocket');
  file = new SocketFile(socket);
  const stat = statSync(socket);
  before = { mode: file.mode, uid: stat.uid, gid: stat.gid };
  expect(before.mode & 0o006, 'the socket is closed to others').toBe(0);

  dashboard = await Dashboard.start({
    port: PORT, socket, env: { ...FAST_TIMEOUTS }, ...deniedUser(socket),
    logFile: join(runDir(), 'permission-server.log'),
  });
  readyAt = performance.now();
  const api = new DashboardApi(dashboard.url, dashboard.cookie);
  const live = await LiveWatcher.open(dashboard.url, dashboard.cookie);
  ctx = { api, live, pair: new DovecotPair(FAULT_PAIR), socket, commandTimeoutMs: 3_000 };
});

afterAll(async () => {
  file.mode = before.mode;
  chownSync(file.path, before.uid, before.gid);
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
    kind: 'fault', fault: 'permission denied on the socket',
    requests: ['overview', 'search *', 'replicate'].map((w, i) => summarise(w, denied[i]!)),
    shownMs, recoveredMs, lost: 0,
    notes: `dashboard ${how}; shown: ms from its first HTTP answer; recovered: ms from ` +
      'chmod 0666',
  });
});
