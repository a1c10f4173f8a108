/**
 * Every HTTP API route against the dashboard server, which talks to the real replicator.
 */
import { describe, expect, inject, it } from 'vitest';

import { cookieOf } from './support/auth';
import { doveadm, takeOutOfQueue } from './support/dovecot';

const url = inject('dashboardUrl');
const base = `${url}/api/v1/replicators`;
const conf = inject('primaryConf');
/** These tests are about the API itself: they run as an operator, who may do everything. */
const operator = () => cookieOf(url, inject('accounts').operator);

async function get(path: string) {
  const response = await fetch(`${base}${path}`, { headers: { cookie: await operator() } });
  return { status: response.status, body: await response.json() };
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await operator() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function users(mask: string, extra = '') {
  return get(`/default/users?mask=${encodeURIComponent(mask)}${extra}`);
}

describe('reading', () => {
  it('lists the default replicator as connected', async () => {
    const { status, body } = await get('');

    expect(status).toBe(200);
    expect(body.replicators).toEqual([expect.objectContaining({
      id: 'default', name: 'default', connected: true, error: null,
      transport: { kind: 'doveadm-socket', unknownUserFields: [], relativeTimes: false },
    })]);
  });

  it('answers the overview with the seven counters and a time', async () => {
    const { body } = await get('/default/overview');

    // The overview is the hub's last poll, up to a poll interval old: an earlier test file's
    // add or remove may be newer.
    const doveadmTotal = /Total number of known users\s+(\d+)/.exec(doveadm(conf, ['status']));
    await expect.poll(async () => (await get('/default/overview')).body.totalUsers,
      { timeout: 5_000 }).toBe(Number(doveadmTotal?.[1]));
    expect(Object.keys(body).sort()).toEqual([
      'at', 'queuedFailed', 'queuedFullResync', 'queuedHigh', 'queuedLow', 'queuedSync',
      'totalUsers', 'waitingFailed',
    ]);
  });

  it('pages and sorts a mask, with ISO times or null', async () => {
    const first = await users('user0*@example.net', '&limit=10&sort=username&order=desc');
    const second = await users('user0*@example.net', '&limit=10&offset=10&order=desc');

    expect(first.body.total).toBe(84);
    expect(first.body.users[0].username).toBe('user084@example.net');
    expect(second.body.users[0].username).toBe('user074@example.net');
    for (const user of first.body.users) {
      const time = user.lastFastSync;
      expect(time === null || new Date(time).toISOString() === time).toBe(true);
      expect(user).toHaveProperty('nextSyncSeconds');
    }
  });

  it('asks the replicator again for a search asked fresh, not the kept result', async () => {
    const mask = 'user02?@example.org';
    const first = await users(mask, '&limit=1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const fresh = await users(mask, '&limit=1&fresh=true');

    expect(Date.parse(fresh.body.at)).toBeGreaterThan(Date.parse(first.body.at));
    expect(fresh.body.total).toBe(first.body.total);
  });

  it('answers the dsync slots', async () => {
    const { status, body } = await get('/default/dsyncs');

    expect(status).toBe(200);
    expect(Array.isArray(body.dsyncs)).toBe(true);
  });

  it('answers one user, and 404 for an unknown one', async () => {
    const known = await get(`/default/users/${encodeURIComponent('jürgen@example.net')}`);
    const unknown = await get('/default/users/nobody%40example.invalid');

    expect(known.body.user.username).toBe('jürgen@example.net');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('user_not_found');
  });

  it('answers 404 for an unknown replicator', async () => {
    const { status, body } = await get('/nope/overview');

    expect(status).toBe(404);
    expect(body.error.code).toBe('unknown_replicator');
  });

  it('answers JSON 404 for an address no API route serves', async () => {
    const { status, body } = await get('/default/no-such-thing');

    expect(status).toBe(404);
    expect(body.error).toEqual({
      code: 'not_found',
      message: 'no API route GET /api/v1/replicators/default/no-such-thing',
    });
  });
});

describe('bad input', () => {
  it.each([
    ['an empty mask', '/default/users?mask='],
    ['a missing mask', '/default/users'],
    ['a NUL byte', '/default/users?mask=a%00b'],
    ['a mask over 1024 bytes', `/default/users?mask=${'a'.repeat(1025)}`],
    ['an unknown sort field', '/default/users?mask=*&sort=password'],
    ['a limit over 1000', '/default/users?mask=*&limit=1001'],
  ])('refuses %s with 400', async (_what, path) => {
    const { status, body } = await get(path);

    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toEqual(expect.any(String));
  });

  it('says a missing mask is missing', async () => {
    const { body } = await get('/default/users');

    expect(body.error.message).toBe('mask: the mask is missing');
  });

  it('refuses an unknown priority with 400', async () => {
    const body = { mask: 'bob@example.com', priority: 'urgent' };

    const { status } = await send('POST', '/default/replicate', body);

    expect(status).toBe(400);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await fetch(`${base}/default/replicate`, {
      method: 'POST',
      body: 'mask=x',
      headers: { cookie: await operator() },
    });

    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type');
  });
});

describe('changing', () => {
  it('replicates a mask and answers how many were queued', async () => {
    const { status, body } = await send('POST', '/default/replicate', {
      mask: 'user01?@example.org', priority: 'high', full: false,
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ updated: 10, jobId: expect.any(String) });
  });

  it('adds and removes a user, then 404s the second remove', async () => {
    // A user the userdb knows: the replicator drops an invented name at its first dsync,
    // which on a quiet machine comes before the test's own remove.
    const name = 'user083@example.org';
    takeOutOfQueue(conf, name);

    const added = await send('POST', '/default/users', { mask: name });
    const listed = await users(name, '&fresh=true');
    const removed = await send('DELETE', `/default/users/${encodeURIComponent(name)}`);
    const again = await send('DELETE', `/default/users/${encodeURIComponent(name)}`);
    doveadm(conf, ['add', name]);

    expect(added.body).toEqual({ ok: true });
    expect(listed.body.total).toBe(1);
    expect(removed.body).toEqual({ ok: true });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('user_not_found');
  });

  it('takes a username with a percent sign literally in the path', async () => {
    const name = `itest-%41-${Date.now()}@example.com`;
    const path = `/default/users/${encodeURIComponent(name)}`;
    await send('POST', '/default/users', { mask: name });

    const found = await get(path);
    const removed = await send('DELETE', path);

    // The userdb does not know this name, so the replicator drops it by itself after its
    // first dsync, which may come before the GET or the DELETE. Either answer names the
    // user exactly as sent: a path decoded twice would name `itest-A-...`.
    if (found.status === 404) expect(found.body.error.message).toContain(name);
    else expect(found.body.user.username).toBe(name);
    if (removed.status === 404) expect(removed.body.error.message).toContain(name);
    else expect(removed.body).toEqual({ ok: true });
    expect((await users(name)).body.total).toBe(0);
  });

  it('sends a hostile mask escaped: it removes nobody', async () => {
    const before = await get('/default/overview');
    const mask = 'x\nREMOVE\tbob@example.com';

    const { status } = await send('POST', '/default/replicate', { mask, priority: 'low' });
    const bob = await users('bob@example.com');

    expect(status).toBe(200);
    expect(bob.body.total).toBe(1);
    expect(before.body.totalUsers).toBeGreaterThan(0);
  });
});
