import { afterAll, describe, expect, it } from 'vitest';

import { identity } from '@/server/live/byte-sort';
import { WorkerSorter, slicedSorter } from '@/server/live/order-sorter';
import { UserTable } from '@/server/live/user-table';

const NOW = 1_800_000_000;

/** Names in a scrambled order, some sharing long prefixes, a few multi-byte. */
function tableOf(count: number, sorter?: WorkerSorter): UserTable {
  const table = new UserTable(sorter?.sort);
  for (let i = 0; i < count; i++) {
    const n = (i * 7919) % count;
    table.add({
      username: n % 50 === 0 ? `jürgen${n}@example.org` : `user${n}@example.com`,
      priority: 'none', lastFastSync: NOW, lastFullSync: NOW - (n % 5), failed: n % 9 === 0,
      lastSuccessfulSync: NOW, nextSyncSeconds: null,
    });
  }
  return table;
}

describe('WorkerSorter', () => {
  const workers = new WorkerSorter();
  afterAll(() => workers.close());

  it('builds the same orders in its thread as the event loop does', async () => {
    const inWorker = tableOf(20_000, workers);
    const inLoop = tableOf(20_000);
    const view = { sort: 'lastFullSync' as const, order: 'desc' as const, filter: {} };

    for (const table of [inWorker, inLoop]) {
      table.page(view, 0, 10, NOW);
      await table.settled();
    }

    expect(inWorker.has(JSON.stringify(['lastFullSync', {}]))).toBe(true);
    const all = (t: UserTable) => Array.from(t.page(view, 0, 20_000, NOW).rows);
    expect(all(inWorker)).toEqual(all(inLoop));
    expect(workers.working).toBe(true);
  });

  it('sorts rows it is handed, keys shared with the thread', async () => {
    const table = tableOf(5000);
    table.share();

    const rows = await workers.sort(table.sortKeys('username'), identity(5000));
    const looped = await slicedSorter(table.sortKeys('username'), identity(5000));

    expect(Array.from(rows)).toEqual(Array.from(looped));
    expect(workers.working).toBe(true);
  });
});
