/** The queue's history, the same tests on SQLite and on PostgreSQL. */
import { afterEach, describe, expect, it } from 'vitest';

import type { HistoryStore, Stores } from '@/server/storage/stores';

import { BACKENDS } from './support/backends';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function record(store: HistoryStore, at: number, queuedHigh: number): Promise<void> {
  return store.record('default', {
    queuedSync: 0, queuedHigh, queuedLow: 0, queuedFailed: 0, queuedFullResync: 0,
    waitingFailed: 0, totalUsers: 200, at: new Date(at).toISOString(),
  });
}

describe.each(BACKENDS)('the history on $name', (backend) => {
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });

  it('keeps full resolution for the last hour and a minute point before it', async () => {
    stores = await backend.open();
    const { history } = stores;
    for (let t = NOW - 2 * HOUR; t <= NOW; t += 10 * SECOND) await record(history, t, 1);

    await history.compact(NOW);

    const counts = await history.counts('default');
    expect(counts[0]).toBe(HOUR / (10 * SECOND) + 1);
    expect(counts[MINUTE]).toBe(60);
  });

  it('keeps the highest count of a minute, so a spike stays visible', async () => {
    stores = await backend.open();
    const { history } = stores;
    await record(history, NOW - 2 * HOUR, 1);
    await record(history, NOW - 2 * HOUR + 10 * SECOND, 50);
    await record(history, NOW - 2 * HOUR + 20 * SECOND, 2);

    await history.compact(NOW);
    const points = await history.range('default', NOW - 3 * HOUR, NOW);

    expect(points).toEqual([expect.objectContaining({ queuedHigh: 50, totalUsers: 200,
      at: new Date(NOW - 2 * HOUR).toISOString() })]);
  });

  it('drops minute points older than seven days', async () => {
    stores = await backend.open();
    await record(stores.history, NOW - 8 * 24 * HOUR, 1);
    await record(stores.history, NOW - 6 * 24 * HOUR, 1);

    await stores.history.compact(NOW);

    expect(await stores.history.counts('default')).toEqual({ [MINUTE]: 1 });
  });

  it('answers a long range in at most 720 points', async () => {
    stores = await backend.open();
    for (let t = NOW - HOUR; t <= NOW; t += 5 * SECOND) await record(stores.history, t, 1);

    const points = await stores.history.range('default', NOW - HOUR, NOW);

    expect(points.length).toBeLessThanOrEqual(720);
    expect(points.length).toBeGreaterThan(600);
  });
});
