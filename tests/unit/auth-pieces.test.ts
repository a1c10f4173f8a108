import { mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { AccountStore } from '@/server/auth/accounts';
import { MAX_FAILURES, SignInLimiter } from '@/server/auth/limiter';
import { isCrossOrigin } from '@/server/auth/origin';
import { hashPassword } from '@/server/auth/passwords';
import {
  clientAddress,
  isHttps,
  parseProxyRoles,
  proxyRoleFor,
  TrustedProxies,
  type RequestInfo,
} from '@/server/auth/proxy';
import { parseBasic } from '@/server/auth/service';
import { cookieValue, loadSessionSecret, SessionSealer } from '@/server/auth/session';

function request(headers: Record<string, string>, peer = '127.0.0.1'): RequestInfo {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { header: (name) => lower[name.toLowerCase()], peer };
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'auth-unit-'));

describe('trusted proxies', () => {
  const trusted = new TrustedProxies('10.0.0.0/8, 192.168.1.5 ::1');

  it('matches addresses, CIDRs and IPv4-mapped IPv6 peers', () => {
    expect(trusted.has('10.20.30.40')).toBe(true);
    expect(trusted.has('::ffff:10.1.1.1')).toBe(true);
    expect(trusted.has('192.168.1.5')).toBe(true);
    expect(trusted.has('192.168.1.6')).toBe(false);
    expect(trusted.has('::1')).toBe(true);
    expect(new TrustedProxies('').has('127.0.0.1')).toBe(false);
  });

  it('refuses a list with a bad entry', () => {
    expect(() => new TrustedProxies('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => new TrustedProxies('proxy.example')).toThrow(/not an address/);
  });

  it('believes X-Forwarded-For and -Proto from a trusted peer only', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 1.2.3.4, 10.0.0.9',
      'x-forwarded-proto': 'https' };

    expect(clientAddress(request(headers, '10.0.0.1'), trusted)).toBe('1.2.3.4');
    expect(clientAddress(request(headers, '8.8.8.8'), trusted)).toBe('8.8.8.8');
    expect(isHttps(request(headers, '10.0.0.1'), trusted)).toBe(true);
    expect(isHttps(request(headers, '8.8.8.8'), trusted)).toBe(false);
  });
});

describe('AUTH_PROXY_ROLES', () => {
  const rules = parseProxyRoles(
    'alice=operator, group:desk-nl=helpdesk:example.nl+example.be, group:staff=viewer',
  );

  it('maps names and groups; the first rule that applies wins', () => {
    expect(proxyRoleFor(rules, 'alice', ['staff'])?.role).toBe('operator');
    expect(proxyRoleFor(rules, 'bob', ['staff', 'desk-nl'])).toMatchObject({
      role: 'helpdesk', domains: ['example.nl', 'example.be'],
    });
    expect(proxyRoleFor(rules, 'carol', ['staff'])).toMatchObject({ role: 'viewer',
      domains: null });
    expect(proxyRoleFor(rules, 'dave', [])).toBeUndefined();
  });

  it.each(['alice', 'alice=root', '=operator', 'bob=helpdesk:', 'bob=helpdesk:*.nl'])(
    'refuses %j',
    (text) => expect(() => parseProxyRoles(text)).toThrow(),
  );
});

describe('the cross-origin check', () => {
  it.each([
    [{}, false],
    [{ origin: 'http://dash.example:3000' }, false],
    [{ origin: 'http://evil.example' }, true],
    [{ origin: 'null' }, true],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
  ])('%j is cross-origin: %s', (headers, cross) => {
    expect(isCrossOrigin(request(headers), 'dash.example:3000')).toBe(cross);
  });
});

describe('sessions', () => {
  const sealer = new SessionSealer('x'.repeat(32), 60);

  it('opens what it sealed, and nothing tampered with', async () => {
    const data = sealer.start('alice', 'stamp', 1_000);
    const sealed = await sealer.seal(data);
    const flipped = sealed.slice(0, 40) + (sealed[40] === 'A' ? 'B' : 'A') + sealed.slice(41);

    expect(await sealer.open(sealed, 2_000)).toEqual(data);
    expect(await sealer.open(flipped, 2_000)).toBeNull();
    expect(await new SessionSealer('y'.repeat(32), 60).open(sealed, 2_000)).toBeNull();
  });

  it('expires after the idle time and renews at most once a minute', async () => {
    const now = Date.now();
    const data = sealer.start('alice', 'stamp', now - 61 * 60_000);

    expect(await sealer.open(await sealer.seal(data), now)).toBeNull();
    expect(sealer.renewal(sealer.start('a', 'stamp', now - 30_000), now)).toBeNull();
    expect(sealer.renewal(sealer.start('a', 'stamp', now - 90_000), now)?.seen).toBe(now);
  });

  it('makes an HttpOnly SameSite=Lax cookie, Secure only over https', () => {
    expect(sealer.cookie('v', false)).toBe(
      'replicator_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600');
    expect(sealer.cookie('v', true)).toMatch(/; Secure$/);
    expect(cookieValue('a=1; replicator_session=abc; b=2', 'replicator_session')).toBe('abc');
  });

  it('generates a secret once, mode 0600', () => {
    const dir = tempDir();
    const first = loadSessionSecret(undefined, dir);

    expect(loadSessionSecret(undefined, dir)).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dir, 'session-secret')).mode & 0o777).toBe(0o600);
  });
});

describe('the sign-in limiter', () => {
  it('locks a name after ten failures, and an address too', async () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < MAX_FAILURES - 1; i++) await limiter.failed('Alice', `10.0.0.${i}`);
    expect((await limiter.check('alice', '10.9.9.9')).limited).toBe(false);

    await limiter.failed('ALICE', '10.0.0.99');
    const locked = await limiter.check('alice', '10.9.9.9');
    expect(locked).toMatchObject({ limited: true });
    expect(locked.limited && locked.retryAfterSeconds).toBeGreaterThan(800);
  });

  it('counts an address across names', async () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.failed(`user${i}`, '10.1.1.1');

    expect((await limiter.check('someone-else', '10.1.1.1')).limited).toBe(true);
    expect((await limiter.check('someone-else', '10.1.1.2')).limited).toBe(false);
  });
});

describe('the accounts file', () => {
  it('verifies argon2id hashes and sees changes made on disk', async () => {
    const file = path.join(tempDir(), 'users.json');
    const store = new AccountStore(file);
    const passwordHash = await hashPassword('right');
    store.update((accounts) => accounts.set('bob', { name: 'bob', role: 'viewer', passwordHash }));

    expect(passwordHash).toMatch(/^\$argon2id\$/);
    expect(await store.verify('bob', 'right')).toMatchObject({ role: 'viewer' });
    expect(await store.verify('bob', 'wrong')).toBeUndefined();
    expect(await store.verify('nobody', 'right')).toBeUndefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const text = readFileSync(file, 'utf8').replace('"viewer"', '"operator"');
    writeFileSync(`${file}.new`, text);
    renameSync(`${file}.new`, file);
    expect(store.find('bob')?.role).toBe('operator');
  });

  it('refuses an operator limited to domains', () => {
    const file = path.join(tempDir(), 'users.json');
    writeFileSync(file, JSON.stringify({ version: 1, users: [
      { name: 'op', role: 'operator', domains: ['a.example'], passwordHash: 'x' }] }));

    expect(() => new AccountStore(file).list()).toThrow(/not a valid accounts file/);
  });
});

describe('Basic auth', () => {
  it('splits at the first colon; a password may hold more', () => {
    const header = `Basic ${Buffer.from('bob:pa:ss').toString('base64')}`;

    expect(parseBasic(header)).toEqual({ name: 'bob', password: 'pa:ss' });
    expect(parseBasic('Bearer abc')).toBeNull();
    expect(parseBasic(undefined)).toBeNull();
  });
});
