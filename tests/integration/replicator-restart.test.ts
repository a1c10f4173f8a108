/**
 * Dovecot stopped and started again while the dashboard runs: the API says the replicator
 * is unreachable, and the dashboard reconnects by itself once it is back.
 */
import { afterAll, expect, inject, it } from 'vitest';

import { basicAuth } from './support/auth';
import { pair } from './support/dovecot';

const base = `${inject('dashboardUrl')}/api/v1/replicators`;
const headers = { authorization: basicAuth(inject('accounts').viewer) };

async function replicatorState() {
  const body = await (await fetch(base, { headers })).json();
  return body.replicators[0];
}

afterAll(() => pair('start'));

it('shows a stopped replicator as unreachable within 2 s, and recovers within 2 s', async () => {
  pair('stop');

  await expect.poll(replicatorState, { timeout: 2_000, interval: 100 }).toMatchObject({
    connected: false,
    error: { code: expect.stringMatching(/^(no_such_socket|connection_refused)$/) },
  });
  const down = await fetch(`${base}/default/overview`, { headers });
  expect(down.status).toBe(503);
  expect((await down.json()).error.hint).toEqual(expect.any(String));

  pair('start');

  await expect.poll(replicatorState, { timeout: 2_000, interval: 100 }).toMatchObject({
    connected: true,
    error: null,
  });
  const up = await fetch(`${base}/default/overview`, { headers });
  expect(up.status).toBe(200);
});
