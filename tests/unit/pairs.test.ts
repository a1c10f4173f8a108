import { describe, expect, it } from 'vitest';

import { UserTable } from '@/server/live/user-table';
import { compareTables, compareUser } from '@/server/pairs';
import type { UserStatus } from '@/server/replicator/answers';

const IDS: [string, string] = ['west', 'east'];
const HOUR = 3600;
const NOW = 1_764_770_000;

function user(fields: Partial<UserStatus> = {}): UserStatus {
  return {
    username: 'alice@example.com', priority: 'none', lastFastSync: NOW, lastFullSync: NOW,
    failed: false, lastSuccessfulSync: NOW, nextSyncSeconds: null, ...fields,
  };
}

describe('compareUser: whether the two sides of a pair disagree about one user', () => {
  it('agrees within the threshold, either way round', () => {
    expect(compareUser(user(), user({ lastSuccessfulSync: NOW - HOUR }), IDS, HOUR)).toBeNull();
    expect(compareUser(user({ lastSuccessfulSync: NOW - HOUR }), user(), IDS, HOUR)).toBeNull();
  });

  it('names the side that is further behind than the threshold, and by how much', () => {
    const verdict = compareUser(user(), user({ lastSuccessfulSync: NOW - HOUR - 1 }), IDS, HOUR);
    expect(verdict).toMatchObject({ reason: 'behind', side: 'east', behindSeconds: HOUR + 1 });
  });

  it('calls a side that never synced behind, by an unknown amount', () => {
    const verdict = compareUser(user({ lastSuccessfulSync: 0 }), user(), IDS, HOUR);
    expect(verdict).toMatchObject({ reason: 'behind', side: 'west', behindSeconds: null });
  });

  it('leaves a user neither side ever synced alone', () => {
    const never = user({ lastSuccessfulSync: 0 });
    expect(compareUser(never, never, IDS, HOUR)).toBeNull();
  });

  it('puts a failed side before any lag, and a missing side before that', () => {
    const failed = compareUser(user(), user({ failed: true, lastSuccessfulSync: 1 }), IDS, HOUR);
    expect(failed).toMatchObject({ reason: 'failed', side: 'east' });
    expect(compareUser(null, user({ failed: true }), IDS, HOUR))
      .toMatchObject({ reason: 'missing', side: 'west', sides: [null, expect.any(Object)] });
  });
});

describe('compareTables', () => {
  it('lists the users of either side that disagree, by username in byte order', () => {
    const west = new UserTable();
    const east = new UserTable();
    west.add(user({ username: 'zoe@example.com' }));
    west.add(user({ username: 'bob@example.com' }));
    west.add(user({ username: 'same@example.com' }));
    east.add(user({ username: 'same@example.com' }));
    east.add(user({ username: 'bob@example.com', failed: true }));
    east.add(user({ username: 'Carl@example.com' }));

    const found = compareTables(west, east, IDS, HOUR);

    expect(found.map((d) => [d.username, d.reason, d.side])).toEqual([
      ['Carl@example.com', 'missing', 'west'],
      ['bob@example.com', 'failed', 'east'],
      ['zoe@example.com', 'missing', 'east'],
    ]);
  });
});
