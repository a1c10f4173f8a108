/** Replicate jobs, the same tests on SQLite and on PostgreSQL. */
import { afterEach, describe, expect, it } from 'vitest';

import type { StoredJob } from '@/server/jobs/store';
import type { Stores } from '@/server/storage/stores';

import { BACKENDS } from './support/backends';

function job(id: string, replicator: string, startedAt: number): StoredJob {
  return {
    id, replicator, startedBy: 'olga', mask: '*@example.net', priority: 'high', full: true,
    startedAt, finishedAt: null, state: 'running', total: 3,
    counts: { done: 0, failed: 0, running: 0, waiting: 3, gone: 0 },
  };
}

describe.each(BACKENDS)('the jobs on $name', (backend) => {
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });

  it('writes a job with its users and reads it back', async () => {
    stores = await backend.open();
    const started = Date.parse('2026-12-03T12:00:00Z');
    await stores.jobs.create(job('j1', 'east', started), ['b@x', 'a@x', 'c@x', 'a@x']);

    expect(await stores.jobs.get('j1')).toEqual(job('j1', 'east', started));
    expect((await stores.jobs.usernames('j1')).sort()).toEqual(['a@x', 'b@x', 'c@x']);
    expect(await stores.jobs.get('nope')).toBeUndefined();
  });

  it('lists newest first and the running ones of one replicator', async () => {
    stores = await backend.open();
    await stores.jobs.create(job('old', 'east', 1_000), []);
    await stores.jobs.create(job('new', 'west', 2_000), []);

    const { jobs, total } = await stores.jobs.list(0, 10);
    expect({ ids: jobs.map((j) => j.id), total }).toEqual({ ids: ['new', 'old'], total: 2 });
    expect((await stores.jobs.running('east')).map((j) => j.id)).toEqual(['old']);
    expect((await stores.jobs.running()).length).toBe(2);
  });

  it('saves counts, and at the end every user state, paged by name', async () => {
    stores = await backend.open();
    const running = job('j2', 'east', 1_000);
    await stores.jobs.create(running, ['b@x', 'a@x', 'c@x']);
    const finished: StoredJob = { ...running, state: 'finished', finishedAt: 5_000,
      counts: { done: 2, failed: 1, running: 0, waiting: 0, gone: 0 } };

    await stores.jobs.update(finished, new Map([['a@x', 'done'], ['b@x', 'failed'],
      ['c@x', 'done']]));

    expect(await stores.jobs.get('j2')).toEqual(finished);
    expect(await stores.jobs.running('east')).toEqual([]);
    expect(await stores.jobs.users('j2', 'done', 0, 10)).toEqual({ total: 2,
      users: [{ username: 'a@x', state: 'done' }, { username: 'c@x', state: 'done' }] });
    expect(await stores.jobs.users('j2', undefined, 1, 1)).toEqual({ total: 3,
      users: [{ username: 'b@x', state: 'failed' }] });
  });
});
