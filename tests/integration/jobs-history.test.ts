/**
 * Jobs, history, metrics and health against the real replicator: a replicate becomes a job
 * that is followed to its end, the hub's polls become history, /metrics parses as the
 * Prometheus text format, and /readyz follows the replicator.
 */
import parsePrometheus from 'parse-prometheus-text-format';
import { describe, expect, inject, it } from 'vitest';

import { basicAuth, call } from './support/auth';
import { pair } from './support/dovecot';

const url = inject('dashboardUrl');
const operator = { authorization: basicAuth(inject('accounts').operator) };

async function replicate(mask: string, full = false) {
  const body = { mask, priority: 'high', full };
  const answer = await call(url, {
    method: 'POST', path: '/api/v1/replicators/default/replicate', body, headers: operator,
  });
  expect(answer.status).toBe(200);
  return answer.body as { updated: number; jobId: string };
}

async function job(id: string) {
  const answer = await call(url, { path: `/api/v1/jobs/${id}`, headers: operator });
  return answer.body.job;
}

describe('jobs', () => {
  it('follows a mask of demo users to the end with the right counts', async () => {
    const { updated, jobId } = await replicate('user02?@example.net');

    await expect.poll(async () => (await job(jobId)).state, { timeout: 60_000 })
      .toBe('finished');
    const finished = await job(jobId);
    expect(updated).toBe(10);
    expect(finished.total).toBe(10);
    expect(finished.counts).toEqual({ done: 10, failed: 0, running: 0, waiting: 0, gone: 0 });
  });

  it('reports a user the userdb does not know as gone', async () => {
    const { jobId } = await replicate(`ghost-${Date.now()}@example.com`);

    await expect.poll(async () => (await job(jobId)).state, { timeout: 60_000 })
      .toBe('finished');
    expect((await job(jobId)).counts).toMatchObject({ gone: 1, done: 0 });
  });

  it('lists a finished job with its failed and gone users by state', async () => {
    const { jobId } = await replicate(`ghost2-${Date.now()}@example.com`);
    await expect.poll(async () => (await job(jobId)).state, { timeout: 60_000 })
      .toBe('finished');

    const gone = await call(url, { path: `/api/v1/jobs/${jobId}?state=gone`, headers: operator });
    const list = await call(url, { path: '/api/v1/jobs', headers: operator });

    const ghost = { username: expect.stringMatching(/^ghost2-/), state: 'gone' };
    expect(gone.body.users).toEqual([ghost]);
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toContain(jobId);
  });

  it('still finishes when the replicator restarts in the middle', async () => {
    const { jobId } = await replicate('*@example.org');

    pair('restart');

    await expect.poll(async () => (await job(jobId)).state, { timeout: 90_000 })
      .toBe('finished');
    const counts = (await job(jobId)).counts;
    expect(counts.done + counts.failed + counts.gone).toBe(86);
  }, 120_000);
});

describe('history, metrics and health', () => {
  it('records the polled overviews', async () => {
    const path = '/api/v1/replicators/default/history?range=15m';

    const points = async () => (await call(url, { path, headers: operator })).body.points.length;
    await expect.poll(points).toBeGreaterThanOrEqual(3);
  });

  it('serves /metrics that a Prometheus text-format parser reads', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();

    const families = parsePrometheus(text) as { name: string }[];
    const names = families.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([
      'dovecot_replicator_up', 'dovecot_replicator_queued_requests',
      'dovecot_replicator_users', 'dovecot_replicator_dsyncs_running',
      'dovecot_replicator_jobs_started_total', 'dovecot_replicator_commands_total',
      'process_resident_memory_bytes',
    ]));
  });

  it('says not ready while the replicator is stopped, and ready once it is back', async () => {
    const readyz = async () => (await fetch(`${url}/readyz`)).status;
    expect(await readyz()).toBe(200);

    pair('stop');
    await expect.poll(readyz, { timeout: 3_000 }).toBe(503);
    const whileDown = await (await fetch(`${url}/metrics`)).text();
    pair('start');

    await expect.poll(readyz, { timeout: 3_000 }).toBe(200);
    // A replicator that does not answer has no user count: absent, not the last one seen.
    expect(whileDown).toMatch(/^dovecot_replicator_up\{replicator="default"\} 0$/m);
    expect(whileDown).not.toMatch(/^dovecot_replicator_users\{/m);
  }, 60_000);
});
