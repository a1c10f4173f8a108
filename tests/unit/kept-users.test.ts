/**
 * How often a watched mask is read again: every poll while reading it is quick, far less
 * often once it takes the replicator long (a million users). The reads here are made up
 * (a reader that only waits), so that their duration is what the test says.
 */
import { describe, expect, it, vi } from 'vitest';

import { KeptUserResults } from '@/server/live/kept-users';
import type { UserReader } from '@/server/live/user-reading';
import { UserTable } from '@/server/live/user-table';
import { moduleLogger } from '@/server/log';
import type { ReplicatorTransport } from '@/server/replicator/transport';

function keptWithReads(readMs: number) {
  const read = vi.fn<UserReader>(async () => {
    await new Promise((resolve) => setTimeout(resolve, readMs));
    return { users: new UserTable(), unparsed: { count: 0, samples: [] } };
  });
  const transport = {} as ReplicatorTransport;
  return { kept: new KeptUserResults(transport, 60_000, moduleLogger('test'), read), read };
}

describe('KeptUserResults.getWatched', () => {
  it('reads a quick mask again at every call', async () => {
    const { kept, read } = keptWithReads(5);

    for (let poll = 0; poll < 3; poll++) {
      await kept.getWatched('small*');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(read).toHaveBeenCalledTimes(3);
  });

  it('reads a slow mask again only once its result is ten times as old as the read took', async () => {
    const { kept, read } = keptWithReads(150);

    await kept.getWatched('*');
    await kept.getWatched('*');
    expect(read).toHaveBeenCalledTimes(1);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await kept.getWatched('*');
    expect(read).toHaveBeenCalledTimes(2);
  });
});
