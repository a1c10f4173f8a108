/**
 * Fault: Dovecot stopped (its master and every child; the socket gone or stale) and started
 * again, while requests are in flight and while a person asks for more. A stopping
 * replicator closes its connections, may be answering again a moment later, then writes its
 * queue to replicator.db and answers nothing meanwhile (about 3 s with 200,000 users): the
 * dashboard shows that as disconnected or timed out, then as gone. The two-second bound is
 * counted from the last handshake the replicator answered before the stop finished.
 */
import { afterEach, expect, it } from 'vitest';

import {
  expectDashboardUp,
  expectEnded,
  expectRecovered,
  expectShownDown,
  expectShownDownSince,
  healthyStart,
  SHOW_MS,
  StateRecorder,
  summarise,
  type FaultContext,
} from '../support/fault-checks';
import { AvailabilityProbe, untilReplicatorAnswers } from '../support/faults';
import { record } from '../support/report';

const GONE = ['no_such_socket', 'connection_refused'];
const STOPPING = ['disconnected', 'timeout', ...GONE];
let ctx: FaultContext | undefined;
let stopping: Promise<void> | undefined;

afterEach(async () => {
  await stopping?.catch(() => undefined);
  await ctx?.pair.start();
  ctx?.live.close();
});

it('answers 502/503/504 while Dovecot is stopped, recovers within 2 s of its start', async () => {
  ctx = await healthyStart();
  const { api, pair, commandTimeoutMs } = ctx;
  const replicateBefore = await api.commandCount('REPLICATE');
  const probe = new AvailabilityProbe(ctx.socket);
  const recorded = new StateRecorder(api);
  const inFlight = [api.search('*'), api.replicatorGet('/overview'), api.user('alice@example.com')];

  stopping = pair.stop();
  const during = await Promise.all(inFlight);
  await stopping;
  const lastAnswer = await probe.lastAnswer();
  const boundEndsIn = lastAnswer + SHOW_MS + 100 - performance.now();
  await new Promise((resolve) => setTimeout(resolve, boundEndsIn));
  await recorded.finish();
  const shownMs = expectShownDownSince(ctx, recorded, lastAnswer, STOPPING);
  const goneMs = await expectShownDown(ctx, performance.now(), GONE);
  const whileDown = await Promise.all([api.search('user*'), api.replicatorGet('/overview'),
    api.replicate('alice@example.com', 'high')]);

  await pair.start();
  const recoveredMs = await expectRecovered(ctx, await untilReplicatorAnswers(ctx.socket));

  const cut = [{ status: 200 }, { status: 502, codes: ['disconnected'] },
    { status: 503, codes: GONE }, { status: 504, codes: ['timeout'] }];
  for (const answer of during) expectEnded(answer, cut, commandTimeoutMs);
  for (const answer of whileDown) {
    expectEnded(answer, [{ status: 503, codes: GONE }], 0);
    expect(answer.body).toMatchObject({ error: { hint: expect.stringContaining('Dovecot') } });
  }
  // The REPLICATE could not be sent, so it never was, and it is not sent after the return.
  expect(await api.commandCount('REPLICATE')).toBe(replicateBefore);
  await expectDashboardUp(ctx);

  record({
    kind: 'fault', fault: 'Dovecot stopped and started',
    requests: [...['search *', 'overview', 'user'].map((w, i) => summarise(w, during[i]!)),
      ...['search user*', 'overview', 'replicate'].map((w, i) => summarise(w, whileDown[i]!))],
    shownMs, recoveredMs, lost: 0,
    replicate: { asked: 1, sent: (await api.commandCount('REPLICATE')) - replicateBefore,
      outcome: whileDown[2]!.code },
    notes: `shown: from the replicator's last answer before the stop ended; ` +
      `gone (no socket / refused) shown ${Math.round(goneMs.api ?? -1)} ms after the stop ended`,
  });
});
