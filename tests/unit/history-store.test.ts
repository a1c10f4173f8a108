import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryStore } from '@/server/history/store';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let dir: string;
let store: HistoryStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'history-'));
  store = new HistoryStore(dir);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function record(at: number, queuedHigh: number): void {
  store.record('default', {
    queuedSync: 0, queuedHigh, queuedLow: 0, queuedFailed: 0, queuedFullResync: 0,
    waitingFailed: 0, totalUsers: 200, at: new Date(at).toISOString(),
  });
}

describe('HistoryStore', () => {
  it('keeps full resolution for the last hour and a minute point before it', () => {
    for (let t = NOW - 2 * HOUR; t <= NOW; t += 10 * SECOND) record(t, 1);

    store.compact(NOW);

    const counts = store.counts('default');
    expect(counts[0]).toBe(HOUR / (10 * SECOND) + 1);
    expect(counts[MINUTE]).toBe(60);
  });

  it('keeps the highest count of a minute, so a spike stays visible', () => {
    record(NOW - 2 * HOUR, 1);
    record(NOW - 2 * HOUR + 10 * SECOND, 50);
    record(NOW - 2 * HOUR + 20 * SECOND, 2);

    store.compact(NOW);
    const points = store.range('default', NOW - 3 * HOUR, NOW);

    expect(points.map((p) => p.queuedHigh)).toEqual([50]);
  });

  it('drops minute points older than seven days', () => {
    record(NOW - 8 * 24 * HOUR, 1);
    record(NOW - 6 * 24 * HOUR, 1);

    store.compact(NOW);

    expect(store.counts('default')).toEqual({ [MINUTE]: 1 });
  });

  it('answers a long range in at most 720 points', () => {
    for (let t = NOW - HOUR; t <= NOW; t += SECOND) record(t, 1);

    const points = store.range('default', NOW - HOUR, NOW);

    expect(points.length).toBeLessThanOrEqual(720);
    expect(points.length).toBeGreaterThan(600);
  });
});
