import { describe, expect, it } from 'vitest';

import { isFinished, jobUserState } from '@/server/jobs/progress';
import type { UserStatus } from '@/server/replicator/answers';

const START = 1_800_000_000;
const job = { startedAtSeconds: START, full: false };

function user(fields: Partial<UserStatus>): UserStatus {
  return {
    username: 'bob@example.com', priority: 'none', lastFastSync: START - 100,
    lastFullSync: START - 100, failed: false, lastSuccessfulSync: START - 100,
    nextSyncSeconds: null, ...fields,
  };
}

describe('jobUserState', () => {
  it('waits while the last sync is older than the job', () => {
    expect(jobUserState(user({ priority: 'high' }), false, job)).toBe('waiting');
  });

  it('runs while a dsync for the user runs, even though its times are already stamped', () => {
    expect(jobUserState(user({ lastFastSync: START + 1 }), true, job)).toBe('running');
  });

  it('is done when a sync at or after the start ended well', () => {
    expect(jobUserState(user({ lastFastSync: START }), false, job)).toBe('done');
  });

  it('fails when the replicator marks the user failed after the start', () => {
    expect(jobUserState(user({ lastFastSync: START + 2, failed: true }), false, job))
      .toBe('failed');
  });

  it('keeps waiting on an older failure', () => {
    expect(jobUserState(user({ failed: true }), false, job)).toBe('waiting');
  });

  it('wants a full sync for a full job', () => {
    const full = { ...job, full: true };

    expect(jobUserState(user({ lastFastSync: START + 5 }), false, full)).toBe('waiting');
    expect(jobUserState(user({ lastFullSync: START + 5 }), false, full)).toBe('done');
  });

  it('reports a user the replicator dropped as gone', () => {
    expect(jobUserState(undefined, false, job)).toBe('gone');
  });
});

describe('isFinished', () => {
  it('is over once nothing waits or runs', () => {
    expect(isFinished({ done: 3, failed: 1, gone: 1, running: 0, waiting: 0 })).toBe(true);
    expect(isFinished({ done: 3, failed: 0, gone: 0, running: 1, waiting: 0 })).toBe(false);
  });
});
