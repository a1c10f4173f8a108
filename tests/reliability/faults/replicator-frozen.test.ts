/**
 * Faults that freeze the replicator with SIGSTOP: its process, socket and connections stay,
 * and nothing answers. Once in the middle of a large STATUS answer, once with a REPLICATE
 * sent and unanswered: that one must be reported as outcome_unknown and never sent again.
 */
import { afterEach, expect, inject, it } from 'vitest';

import {
  expectDashboardUp,
  expectEnded,
  expectRecovered,
  expectShownDown,
  healthyStart,
  summarise,
  type FaultContext,
} from '../support/fault-checks';
import {
  bytesWritten,
  freeze,
  requireReplicator,
  thaw,
  untilReplicatorAnswers,
  untilWritten,
} from '../support/faults';
import { record } from '../support/report';

let ctx: FaultContext | undefined;
let frozen: number | undefined;

afterEach(() => {
  if (frozen !== undefined) thaw(frozen);
  frozen = undefined;
  ctx?.live.close();
});

/** Thaws the replicator and resolves with the moment it answers again. */
async function thawAndWait(context: FaultContext, pid: number): Promise<number> {
  thaw(pid);
  frozen = undefined;
  return untilReplicatorAnswers(context.socket);
}

it('times a STATUS frozen mid-answer out with 504 and recovers within 2 s', async () => {
  ctx = await healthyStart();
  const { api, commandTimeoutMs } = ctx;
  const pid = requireReplicator(ctx.pair);
  const written = bytesWritten(pid);

  const search = api.search('*');
  await untilWritten(pid, written, 1024 * 1024);
  const frozenAt = performance.now();
  freeze((frozen = pid));
  const behind = api.user('alice@example.com');
  const shownMs = await expectShownDown(ctx, frozenAt, ['timeout']);
  const [cut, queued] = await Promise.all([search, behind]);
  const recoveredMs = await expectRecovered(ctx, await thawAndWait(ctx, pid));

  expectEnded(cut, [{ status: 504, codes: ['timeout'] }], commandTimeoutMs);
  expect(cut.message).toMatch(/STATUS: no answer within/);
  expectEnded(queued, [{ status: 504, codes: ['timeout'] }], commandTimeoutMs);
  const again = await api.search('*');
  expect((again.body as { total: number }).total).toBe(inject('relUsers'));
  await expectDashboardUp(ctx);

  record({
    kind: 'fault', fault: 'replicator frozen (SIGSTOP) during a large STATUS answer',
    requests: [summarise('search * (frozen mid-answer)', cut),
      summarise('user page queued behind', queued), summarise('search * after thaw', again)],
    shownMs, recoveredMs, lost: inject('relUsers') - (again.body as { total: number }).total,
  });
});

it('reports a REPLICATE frozen before its answer as outcome_unknown, sent once', async () => {
  ctx = await healthyStart();
  const { api, commandTimeoutMs } = ctx;
  const user = 'user042@example.net';
  expect((await api.user(user)).status).toBe(200);
  const replicateBefore = await api.commandCount('REPLICATE');
  const pid = requireReplicator(ctx.pair);

  const frozenAt = performance.now();
  freeze((frozen = pid));
  const lost = api.replicate(user, 'high');
  const notSent = api.replicate('user044@example.net', 'high');
  const shownMs = await expectShownDown(ctx, frozenAt, ['timeout']);
  const [unknown, timedOut] = await Promise.all([lost, notSent]);
  const sentWhileFrozen = (await api.commandCount('REPLICATE')) - replicateBefore;
  const recoveredMs = await expectRecovered(ctx, await thawAndWait(ctx, pid));

  expectEnded(unknown, [{ status: 504, codes: ['outcome_unknown'] }], commandTimeoutMs);
  expect(unknown.message).toContain('may or may not have done it');
  expectEnded(timedOut, [{ status: 504, codes: ['timeout'] }], commandTimeoutMs);
  expect(sentWhileFrozen).toBe(1);
  const after = await api.user(user);
  expect(after.status).toBe(200);
  expect(await api.commandCount('REPLICATE')).toBe(replicateBefore + 1);
  await expectDashboardUp(ctx);

  const state = (after.body as { user: { priority: string; lastFastSync: string | null } }).user;
  record({
    kind: 'fault', fault: 'replicator frozen (SIGSTOP) during a REPLICATE',
    requests: [summarise('replicate (sent, answer lost)', unknown),
      summarise('replicate (queued, never sent)', timedOut), summarise('user after thaw', after)],
    shownMs, recoveredMs, lost: 0,
    replicate: { asked: 2, sent: (await api.commandCount('REPLICATE')) - replicateBefore,
      outcome: unknown.code },
    notes: `after the thaw ${user} has priority ${state.priority}, last fast sync ` +
      `${state.lastFastSync}: the replicator read the REPLICATE from its socket buffer or not`,
  });
});
