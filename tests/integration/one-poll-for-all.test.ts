/**
 * The live hub polls each replicator once for everybody: 200 browsers watching the overview
 * and the same user mask cost the replicator exactly the commands that one browser does.
 */
import { io, type Socket } from 'socket.io-client';
import { afterEach, expect, inject, it } from 'vitest';

import { cookieOf } from './support/auth';

const url = inject('dashboardUrl');
const MASK = 'user0*@example.net';
/**
 * Four and a half poll intervals (1 s in the test server): a window of whole intervals ends
 * just as a poll starts, cutting its commands in two.
 */
const WINDOW_MS = 4_500;
let sockets: Socket[] = [];

afterEach(() => {
  sockets.forEach((socket) => socket.close());
  sockets = [];
});

/** Commands sent so far, by command, from the dashboard's own /metrics. */
async function commandCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^dovecot_replicator_commands_total\{(.*)\} (\d+)$/gm)) {
    const command = /command="([^"]+)"/.exec(m[1]!)?.[1] ?? '';
    counts[command] = (counts[command] ?? 0) + Number(m[2]);
  }
  return counts;
}

async function openBrowsers(count: number): Promise<void> {
  const cookie = await cookieOf(url, inject('accounts').viewer);
  const opened = Array.from({ length: count }, () =>
    io(url, { transports: ['websocket'], forceNew: true, reconnection: false,
      extraHeaders: { cookie } }),
  );
  sockets.push(...opened);
  await Promise.all(opened.map(async (socket) => {
    await socket.emitWithAck('subscribe', { replicator: 'default' });
    await socket.emitWithAck('watch', { replicator: 'default', mask: MASK });
  }));
}

/**
 * Commands per poll (each poll sends one STATUS-DSYNC) over a measuring window, rounded to
 * the nearest whole: a poll cut by the window's edge, the stale-user count and earlier
 * tests' jobs move the figure by a fraction, whoever watches; one more command a poll per
 * browser would add a whole one.
 */
async function commandsPerPoll(): Promise<number> {
  const before = await commandCounts();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const after = await commandCounts();

  const sent = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const all = Object.keys(after).reduce((sum, name) => sum + sent(name), 0);
  expect(sent('STATUS-DSYNC')).toBeGreaterThanOrEqual(2);
  return Math.round(all / sent('STATUS-DSYNC'));
}

it('sends as many commands per poll for 200 browsers as for one', async () => {
  await openBrowsers(1);
  const one = await commandsPerPoll();
  await openBrowsers(199);
  const many = await commandsPerPoll();

  // Overview, dsyncs and the watched mask: three commands a poll, whoever watches.
  expect(one).toBe(3);
  expect(many).toBe(one);
}, 30_000);

it('lets one browser watch eight masks at once, not a ninth', async () => {
  await openBrowsers(1);
  const [socket] = sockets;

  const answers = [];
  for (let i = 1; i <= 9; i++) {
    answers.push(await socket!.emitWithAck('watch', { replicator: 'default',
      mask: `user00${i}@example.net` }));
  }

  // The first watch was openBrowsers' own: seven more are taken, then two refused.
  expect(answers.slice(0, 7)).toEqual(Array(7).fill({ ok: true }));
  expect(answers.slice(7).map((answer) => answer.error?.code))
    .toEqual(['too_many_watches', 'too_many_watches']);
});
