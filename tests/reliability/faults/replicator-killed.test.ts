/**
 * Faults that kill the replicator process; Dovecot's master starts a new one, which reloads
 * its users from replicator.db. Once while idle, once in the middle of a large STATUS
 * answer with a REPLICATE asked meanwhile.
 */
import { afterEach, expect, inject, it } from 'vitest';

import {
  expectDashboardUp,
  expectEnded,
  expectRecovered,
  healthyStart,
  SHOW_MS,
  summarise,
  until,
  type FaultContext,
} from '../support/fault-checks';
import {
  bytesWritten,
  killReplicator,
  requireReplicator,
  untilReplicatorAnswers,
  untilWritten,
} from '../support/faults';
import { record } from '../support/report';

let ctx: FaultContext | undefined;

afterEach(() => ctx?.live.close());

/**
 * After a kill the dashboard must not go on showing a replicator that is gone: within 2 s
 * its state is down, or the hub has polled the new process successfully since the kill.
 */
async function expectTruthWithin2s(context: FaultContext, killedAt: number, killedAtIso: string) {
  const { ms, last } = await until(
    async () => ({ state: await context.api.state(),
      overview: await context.api.replicatorGet('/overview') }),
    ({ state, overview }) => !state.connected ||
      (overview.status === 200 && (overview.body as { at: string }).at > killedAtIso),
    killedAt,
    SHOW_MS,
  );
  expect(ms, `state after the kill: ${JSON.stringify(last?.state)}`).not.toBeNull();
  return ms;
}

it('notices a killed replicator and talks to the new one within 2 s', async () => {
  ctx = await healthyStart();
  const { api, commandTimeoutMs } = ctx;
  await api.search('alice*');

  const killedAtIso = new Date().toISOString();
  const killedAt = performance.now();
  const old = killReplicator(ctx.pair);
  const right = await Promise.all([api.search('user*'), api.user('alice@example.com')]);
  const shownMs = await expectTruthWithin2s(ctx, killedAt, killedAtIso);
  const back = await untilReplicatorAnswers(ctx.socket);
  const recoveredMs = await expectRecovered(ctx, Math.min(back, performance.now()));

  expect(ctx.pair.replicatorPid()).not.toBe(old);
  const allowed = [{ status: 200 }, { status: 502, codes: ['disconnected'] },
    { status: 504, codes: ['timeout'] }];
  for (const answer of right) expectEnded(answer, allowed, commandTimeoutMs);
  expect((await api.search('alice*')).status).toBe(200);
  await expectDashboardUp(ctx);

  record({
    kind: 'fault', fault: 'replicator process killed (idle)',
    requests: [summarise('search user*', right[0]!), summarise('user', right[1]!)],
    shownMs: { api: shownMs, live: null }, recoveredMs, lost: 0,
    notes: 'Dovecot restarts the replicator in about 0.3 s; the hub may not even show it down.',
  });
});

/**
 * The search is read on a connection of its own, so a REPLICATE asked meanwhile is sent at
 * once on the command connection, while the replicator is still busy with the answer; its
 * own answer may then be lost with the process. It must be sent once, never again.
 */
it('fails a STATUS cut in the middle with 502, a REPLICATE meanwhile sent once', async () => {
  ctx = await healthyStart();
  const { api, commandTimeoutMs } = ctx;
  const users = inject('relUsers');
  const replicateBefore = await api.commandCount('REPLICATE');
  const pid = requireReplicator(ctx.pair);
  const written = bytesWritten(pid);

  const search = api.search('*');
  const queued = api.replicate('user043@example.net', 'low');
  await untilWritten(pid, written, 1024 * 1024);
  const killedAtIso = new Date().toISOString();
  const killedAt = performance.now();
  killReplicator(ctx.pair);
  const [cut, replicated] = await Promise.all([search, queued]);
  const shownMs = await expectTruthWithin2s(ctx, killedAt, killedAtIso);
  const back = await untilReplicatorAnswers(ctx.socket);
  const recoveredMs = await expectRecovered(ctx, Math.min(back, performance.now()));

  expectEnded(cut, [{ status: 502, codes: ['disconnected'] }], commandTimeoutMs);
  expect(cut.message).toContain('closed the connection');
  expectEnded(replicated, [{ status: 200 }, { status: 502, codes: ['outcome_unknown'] }],
    commandTimeoutMs);
  expect(await api.commandCount('REPLICATE')).toBe(replicateBefore + 1);
  const again = await api.search('*');
  expect((again.body as { total: number }).total).toBe(users);
  await expectDashboardUp(ctx);

  record({
    kind: 'fault', fault: 'connection cut in the middle of a STATUS answer',
    requests: [summarise('search * (cut)', cut), summarise('replicate meanwhile', replicated),
      summarise('search * again', again)],
    shownMs: { api: shownMs, live: null }, recoveredMs,
    replicate: { asked: 1, sent: (await api.commandCount('REPLICATE')) - replicateBefore,
      outcome: replicated.status === 200 ? 'done' : replicated.code },
    lost: users - (again.body as { total: number }).total,
  });
});
