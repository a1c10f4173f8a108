/** The audit trail, the same tests on SQLite and on PostgreSQL. */
import { afterEach, describe, expect, it } from 'vitest';

import type { AuditEvent } from '@/server/audit/log';
import type { Stores } from '@/server/storage/stores';

import { BACKENDS } from './support/backends';

const event = (actor: string, mask: string | null): AuditEvent => ({
  actor, role: 'helpdesk', source: '127.0.0.1', action: 'replicate', replicator: 'default', mask,
});
const page = { offset: 0, limit: 100 };
const everybody = { actor: null, domains: null };

describe.each(BACKENDS)('the audit trail on $name', (backend) => {
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });

  it('keeps an attempt until it is finished, newest first', async () => {
    stores = await backend.open();
    const { audit } = stores;
    const id = await audit.begin(event('nina', 'a@example.net'));
    await audit.record(event('nina', 'b@example.net'), { outcome: 'refused', code: 'forbidden',
      message: 'no' });

    const before = await audit.query(page, everybody);
    expect(before.entries.map((e) => e.outcome)).toEqual(['refused', 'attempt']);
    await audit.finish(id, { outcome: 'ok', updated: 1 });
    expect((await audit.query(page, everybody)).entries[1]).toMatchObject({
      id, outcome: 'ok', updated: 1, mask: 'a@example.net', errorCode: null, full: null,
    });
  });

  it('limits a reader to an actor and to masks within their domains', async () => {
    stores = await backend.open();
    const { audit } = stores;
    await audit.record(event('nina', '*@example.com'), { outcome: 'refused', code: 'forbidden',
      message: 'x' });
    await audit.record(event('nina', 'a@Example.NET'), { outcome: 'ok' });
    await audit.record(event('nina', 'b@example.ne?'), { outcome: 'ok' });
    await audit.record({ ...event('nina', null), action: 'sign-in' }, { outcome: 'ok' });
    await audit.record(event('olga', 'b@example.net'), { outcome: 'ok' });

    const own = await audit.query(page, { actor: 'nina', domains: ['example.net'] });
    expect(own.total).toBe(2);
    expect(own.entries.map((e) => e.mask)).toEqual([null, 'a@Example.NET']);
    const signIns = await audit.query({ ...page, action: 'sign-in' }, everybody);
    expect(signIns.total).toBe(1);
  });

  it('filters by time, inclusive, and pages', async () => {
    let now = new Date('2026-01-01T10:00:00.000Z');
    stores = await backend.open(() => now);
    const { audit } = stores;
    await audit.record(event('a', 'x'), { outcome: 'ok' });
    now = new Date('2026-01-02T10:00:00.000Z');
    await audit.record({ ...event('b', 'y'), full: true, priority: 'high' }, { outcome: 'ok' });

    const since = await audit.query({ ...page, since: '2026-01-02T10:00:00.000Z' }, everybody);
    expect(since.entries).toEqual([expect.objectContaining({ actor: 'b', full: true,
      priority: 'high', time: '2026-01-02T10:00:00.000Z' })]);
    const second = await audit.query({ offset: 1, limit: 1 }, everybody);
    expect(second).toMatchObject({ total: 2, entries: [{ actor: 'a' }] });
  });

  it('keeps a failure with its code and message', async () => {
    stores = await backend.open();
    const id = await stores.audit.begin({ ...event('olga', 'u@example.org'), action: 'remove' });
    await stores.audit.finish(id, { outcome: 'failed', code: 'user_not_found', message: 'gone' });

    const [entry] = (await stores.audit.query(page, everybody)).entries;
    expect(entry).toMatchObject({ action: 'remove', outcome: 'failed',
      errorCode: 'user_not_found', errorMessage: 'gone', updated: null });
  });
});
