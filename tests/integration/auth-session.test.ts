/**
 * Signing in and what a session is worth: cookie flags, forged and tampered cookies,
 * sign-out, cross-origin changes, Basic auth for scripts, the SSO proxy header, and the
 * login redirect of pages.
 */
import { request as httpRequest } from 'node:http';

import { io } from 'socket.io-client';
import { describe, expect, inject, it } from 'vitest';

import { basicAuth, call, cookieOf, sessionCookie, signIn } from './support/auth';
import { addAccount, changePassword, testAccount } from './support/server';

const url = inject('dashboardUrl');
const accounts = inject('accounts');
const REPLICATE = '/api/v1/replicators/default/replicate';
const ONE_USER = { mask: 'user003@example.org', priority: 'low' };

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and not Secure over plain http', async () => {
    const { name, password } = accounts.viewer;
    const answer = await call(url, { method: 'POST', path: '/api/v1/session',
      body: { name, password }, headers: { 'x-forwarded-proto': 'https' } });

    const cookie = answer.headers.getSetCookie()[0] ?? '';
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name, role: 'viewer', domains: null });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // X-Forwarded-Proto from an untrusted peer is not believed.
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const answer = await call(url, { method: 'POST', path: '/api/v1/session',
      body: { name: accounts.viewer.name, password: 'wrong' } });

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('invalid_credentials');
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('is refused when tampered with', async () => {
    const cookie = await cookieOf(url, accounts.viewer);
    const at = cookie.length - 10;
    const tampered = cookie.slice(0, at) + (cookie[at] === 'a' ? 'b' : 'a') + cookie.slice(at + 1);

    const answer = await call(url, { path: '/api/v1/session', headers: { cookie: tampered } });

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('is over after sign-out, even where a copy of it was kept', async () => {
    const cookie = await signIn(url, accounts.viewer);

    const out = await call(url, { method: 'DELETE', path: '/api/v1/session',
      headers: { cookie } });
    const after = await call(url, { path: '/api/v1/session', headers: { cookie } });

    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^replicator_session=;.*Max-Age=0/);
    expect(after.status).toBe(401);
  });
  it('is over once its account has a new password, and so is its live socket', async () => {
    const account = testAccount('it-new-password', 'viewer');
    addAccount(inject('dataDir'), account);
    const cookie = await signIn(url, account);
    const open = (headers: Record<string, string>) => io(url, { transports: ['websocket'],
      forceNew: true, reconnection: false, extraHeaders: headers });
    const sockets = [open({ cookie }), open({ authorization: basicAuth(account) })];
    try {
      const before = await Promise.all(sockets.map((socket) =>
        socket.emitWithAck('subscribe', { replicator: 'default' })));
      const closed = sockets.map((socket) => new Promise<boolean>((resolve) => {
        socket.on('disconnect', () => resolve(true));
        setTimeout(() => resolve(false), 5_000);
      }));
      changePassword(inject('dataDir'), account.name, 'a-new-password-for-it');

      const after = await call(url, { path: '/api/v1/session', headers: { cookie } });

      expect(before).toEqual([{ ok: true }, { ok: true }]);
      expect(after.status).toBe(401);
      // Closed by the server while the browser sends nothing: its rooms' events must stop.
      // The Basic-auth one too: a leaked password is cut off by a new one.
      expect(await Promise.all(closed)).toEqual([true, true]);
    } finally {
      sockets.forEach((socket) => socket.close());
    }
  });
});

describe('a change from another origin', () => {
  it.each([
    ['an Origin of another site', { origin: 'http://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('is refused with %s, even with a valid cookie', async (_what, extra) => {
    const cookie = await cookieOf(url, accounts.operator);

    const answer = await call(url, { method: 'POST', path: REPLICATE, body: ONE_USER,
      headers: { cookie, ...extra } });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('cross_origin');
  });

  it('is let through from the dashboard itself', async () => {
    const cookie = await cookieOf(url, accounts.operator);

    const answer = await call(url, { method: 'POST', path: REPLICATE, body: ONE_USER,
      headers: { cookie, origin: url, 'sec-fetch-site': 'same-origin' } });

    expect(answer.status).toBe(200);
  });
});

describe('HTTP Basic auth for scripts', () => {
  it('works with the same accounts', async () => {
    const answer = await call(url, { method: 'POST', path: REPLICATE, body: ONE_USER,
      headers: { authorization: basicAuth(accounts.helpdesk) } });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ updated: 1 });
  });

  it('refuses a wrong password', async () => {
    const headers = { authorization: basicAuth({ ...accounts.helpdesk, password: 'nope' }) };

    const answer = await call(url, { path: '/api/v1/session', headers });

    expect(answer.status).toBe(401);
  });
});

/** A request from a given loopback address: 127.0.0.2 is the trusted SSO proxy. */
function fromAddress(localAddress: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { localAddress, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject).end();
  });
}

describe('the SSO proxy header', () => {
  it('is believed from the trusted proxy, with the role its rules give', async () => {
    const alice = await fromAddress('127.0.0.2', '/api/v1/session',
      { 'x-forwarded-user': 'sso-alice' });
    const desk = await fromAddress('127.0.0.2', '/api/v1/session',
      { 'x-forwarded-user': 'sso-bob', 'x-forwarded-groups': 'staff, desk' });

    expect(JSON.parse(alice.body)).toMatchObject({ name: 'sso-alice', role: 'operator',
      via: 'proxy' });
    expect(JSON.parse(desk.body)).toMatchObject({ role: 'helpdesk', domains: ['example.org'] });
  });

  it('gives no access to a proxied user without a rule', async () => {
    const answer = await fromAddress('127.0.0.2', '/api/v1/session',
      { 'x-forwarded-user': 'sso-mallory' });

    expect(answer.status).toBe(403);
  });

  it('is refused from any other address', async () => {
    const answer = await fromAddress('127.0.0.1', '/api/v1/session',
      { 'x-forwarded-user': 'sso-alice' });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.code).toBe('untrusted_proxy');
  });
});

describe('pages', () => {
  it('send nobody to the login page, remembering where they were going', async () => {
    const response = await fetch(`${url}/r/default/users?mask=a*`, { redirect: 'manual' });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/r/default/users?mask=a*')}`);
  });

  it('render for a session, and the login page sends it on', async () => {
    const cookie = await cookieOf(url, accounts.viewer);

    const page = await fetch(`${url}/r/default`, { headers: { cookie }, redirect: 'manual' });
    const login = await fetch(`${url}/login?next=%2Fr%2Fdefault%2Fusers`, {
      headers: { cookie }, redirect: 'manual' });
    const offsite = await fetch(`${url}/login?next=%2F%2Fevil.example`, {
      headers: { cookie }, redirect: 'manual' });

    expect(page.status).toBe(200);
    expect(login.headers.get('location')).toBe('/r/default/users');
    expect(offsite.headers.get('location')).toBe('/');
  });
});

it('a fresh sign-in answers a new cookie each time', async () => {
  const first = await signIn(url, accounts.helpdesk);
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: accounts.helpdesk.name, password: accounts.helpdesk.password }),
  });

  expect(sessionCookie(response)).not.toBe(first);
});
