/**
 * How often a watched mask is read again: every poll while it is small, far less often once
 * it holds hundreds of thousands of users. The reads are made up (a reader that returns a
 * table of the size the test says), so no replicator is involved.
 */
import { describe, expect, it, vi } from 'vitest';

import { KeptUserResults } from '@/server/live/kept-users';
import type { UserReader } from '@/server/live/user-reading';
import { UserTable } from '@/server/live/user-table';
import { moduleLogger } from '@/server/log';
import type { ReplicatorTransport } from '@/server/replicator/transport';

function tableOf(count: number): UserTable {
  const table = new UserTable();
  for (let i = 0; i < count; i++) {
    table.add({ username: `u${i}@example.com`, priority: 'none', lastFastSync: 0,
      lastFullSync: 0, failed: false, lastSuccessfulSync: 0, nextSyncSeconds: null });
  }
  return table;
}

function keptOf(users: number) {
  const table = tableOf(users);
  const unparsed = { count: 0, samples: [] };
  const read = vi.fn<UserReader>(async () => ({ users: table, unparsed }));
  const transport = {} as ReplicatorTransport;
  return { kept: new KeptUserResults(transport, 60_000, moduleLogger('test'), read), read };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeptUserResults.getWatched', () => {
  it('reads a small mask again at every poll', async () => {
    const { kept, read } = keptOf(99_999);

    for (let poll = 0; poll < 3; poll++) {
      await kept.getWatched('small*');
      await pause(20);
    }

    expect(read).toHaveBeenCalledTimes(3);
  });

  it('reads 200,000 users again only once their result is 2 s old', async () => {
    const { kept, read } = keptOf(200_000);

    await kept.getWatched('*');
    await pause(1_000);
    await kept.getWatched('*');
    expect(read).toHaveBeenCalledTimes(1);

    await pause(1_100);
    await kept.getWatched('*');
    expect(read).toHaveBeenCalledTimes(2);
  });
});

describe('KeptUserResults.search after a large answer', () => {
  it('starts the next wildcard search 3 s per million users later, one name at once', async () => {
    const { kept, read } = keptOf(200_000);
    const started: [string, number][] = [];
    read.mockImplementation(async (_transport, mask) => {
      started.push([mask, Date.now()]);
      return { users: tableOf(mask.includes('*') ? 200_000 : 1), unparsed: { count: 0,
        samples: [] } };
    });

    const first = await kept.search('*', true).then(() => Date.now());
    // A result of this very millisecond would count as fresh.
    await pause(5);
    await Promise.all([kept.search('*', true), kept.search('u1@example.com', true)]);

    const [, again] = started.find(([mask], i) => mask === '*' && i > 0)!;
    const [, one] = started.find(([mask]) => mask === 'u1@example.com')!;
    // 200,000 users: 600 ms; timers may fire a millisecond early.
    expect(again - first).toBeGreaterThanOrEqual(595);
    expect(one - first).toBeLessThan(300);
  });

  it('reads two wildcard masks one after the other, never side by side', async () => {
    const { kept, read } = keptOf(10);
    let reading = 0;
    let most = 0;
    read.mockImplementation(async () => {
      most = Math.max(most, ++reading);
      await pause(20);
      reading--;
      return { users: tableOf(10), unparsed: { count: 0, samples: [] } };
    });

    await Promise.all(['a*', 'b*', 'c*'].map((mask) => kept.search(mask, true)));

    expect(read).toHaveBeenCalledTimes(3);
    expect(most).toBe(1);
  });
});
