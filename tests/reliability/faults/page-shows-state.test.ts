/**
 * What an operator sees: the overview page in a real browser shows a frozen replicator as
 * unreachable, with the reason, within two seconds, and as connected again within two
 * seconds of its return, without a reload.
 */
import { afterEach, expect, inject, it } from 'vitest';

import { openPage, type DashboardPage } from '../support/browser';
import { SHOW_MS, until } from '../support/fault-checks';
import { freeze, requireReplicator, thaw, untilReplicatorAnswers } from '../support/faults';
import { DovecotPair, FAULT_PAIR } from '../support/pair';
import { record } from '../support/report';

let shown: DashboardPage | undefined;
let frozen: number | undefined;

afterEach(async () => {
  if (frozen !== undefined) thaw(frozen);
  await shown?.close();
});

it('shows a frozen replicator on the page within 2 s, and its return within 2 s', async () => {
  shown = await openPage(inject('relUrl'), inject('relCookie'), '/r/default');
  await expect.poll(() => shown!.statusText(), { timeout: 15_000 }).toMatch(/\bconnected\b/);
  const pid = requireReplicator(new DovecotPair(FAULT_PAIR));
  const status = () => shown!.statusText().catch(() => '');

  const frozenAt = performance.now();
  freeze((frozen = pid));
  const down = await until(status, (text) => text.includes('unreachable'), frozenAt, SHOW_MS);
  const reason = await status();
  thaw(pid);
  frozen = undefined;
  const back = await untilReplicatorAnswers(inject('relSocket'));
  const up = await until(status, (text) => /\bconnected\b/.test(text), back, SHOW_MS);

  expect(down.ms, `page status after the freeze: ${down.last}`).not.toBeNull();
  expect(reason).toMatch(/no answer within/);
  expect(up.ms, `page status after the thaw: ${up.last}`).not.toBeNull();
  expect(shown.cspViolations).toEqual([]);
  record({
    kind: 'fault', fault: 'the overview page in Chromium, replicator frozen and thawed',
    requests: [], shownMs: { api: null, live: down.ms }, recoveredMs: { api: 0, live: up.ms! },
    lost: 0, notes: `page said: ${reason.replace(/\s+/g, ' ').slice(0, 160)}`,
  });
});
