/**
 * Every API route and socket.io event, called as nobody, a viewer, a helpdesk and an
 * operator, each answer checked against the role table.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { call, cookieOf, untilListed } from './support/auth';
import { putBackInQueue, takeOutOfQueue } from './support/dovecot';

const url = inject('dashboardUrl');
const accounts = inject('accounts');

beforeAll(() => takeOutOfQueue(inject('primaryConf'), ADDED));
afterAll(() => putBackInQueue(inject('primaryConf'), ADDED));
type Who = 'nobody' | 'viewer' | 'helpdesk' | 'operator';
const R = '/api/v1/replicators/default';
/** A userdb user, out of the queue for the add and remove below (see takeOutOfQueue). */
const ADDED = 'user083@example.net';

interface Case {
  what: string;
  method?: string;
  path: string;
  body?: unknown;
  /** The status for viewer, helpdesk and operator; nobody always gets 401. */
  status: [number, number, number];
  /** Only when the call is to succeed: what must be true first. */
  prepare?: () => Promise<void>;
}

/** In this order: the operator's add comes before its remove of the same user. */
const CASES: Case[] = [
  { what: 'list replicators', path: '/api/v1/replicators', status: [200, 200, 200] },
  { what: 'overview', path: `${R}/overview`, status: [200, 200, 200] },
  { what: 'dsyncs', path: `${R}/dsyncs`, status: [200, 200, 200] },
  { what: 'search', path: `${R}/users?mask=*&limit=1`, status: [200, 200, 200] },
  { what: 'one user', path: `${R}/users/bob%40example.com`, status: [200, 200, 200] },
  { what: 'queue history', path: `${R}/history`, status: [200, 200, 200] },
  { what: 'jobs', path: '/api/v1/jobs', status: [200, 200, 200] },
  { what: 'an unknown job', path: '/api/v1/jobs/none', status: [404, 404, 404] },
  { what: 'who am I', path: '/api/v1/session', status: [200, 200, 200] },
  { what: 'own audit rows', path: '/api/v1/audit', status: [200, 200, 200] },
  { what: 'own audit CSV', path: '/api/v1/audit/csv', status: [200, 200, 200] },
  { what: "another's audit rows", path: '/api/v1/audit?actor=somebody',
    status: [403, 403, 200] },
  { what: 'replicate one user', method: 'POST', path: `${R}/replicate`,
    body: { mask: 'user001@example.org', priority: 'low' }, status: [403, 200, 200] },
  { what: 'replicate one user in full', method: 'POST', path: `${R}/replicate`,
    body: { mask: 'user002@example.org', priority: 'high', full: true },
    status: [403, 200, 200] },
  { what: 'replicate a mask', method: 'POST', path: `${R}/replicate`,
    body: { mask: 'user00?@example.org', priority: 'low' }, status: [403, 403, 200] },
  { what: 'add', method: 'POST', path: `${R}/users`, body: { mask: ADDED },
    status: [403, 403, 200] },
  { what: 'remove', method: 'DELETE', path: `${R}/users/${encodeURIComponent(ADDED)}`,
    status: [403, 403, 200], prepare: () => untilListed(inject('primaryConf'), ADDED) },
];

async function headersOf(who: Who): Promise<Record<string, string>> {
  return who === 'nobody' ? {} : { cookie: await cookieOf(url, accounts[who]) };
}

const WHO: Who[] = ['nobody', 'viewer', 'helpdesk', 'operator'];

describe.each(WHO)('HTTP API as %s', (who) => {
  it.each(CASES)('$what', async ({ method, path, body, status, prepare }) => {
    const expected = who === 'nobody' ? 401 : status[WHO.indexOf(who) - 1]!;
    const headers = await headersOf(who);
    if (expected === 200) await prepare?.();

    const answer = await call(url, { method, path, body, headers });

    expect(answer.status).toBe(expected);
    if (expected === 401) expect(answer.body.error.code).toBe('unauthorized');
    if (expected === 403) expect(answer.body.error.code).toBe('forbidden');
  });
});

describe.each(WHO.slice(1))('socket.io as %s', (who) => {
  it('may subscribe, watch, unwatch and unsubscribe', async () => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false,
      extraHeaders: await headersOf(who) });
    try {
      const overview = new Promise((resolve) => socket.once('overview', resolve));
      expect(await socket.emitWithAck('subscribe', { replicator: 'default' }))
        .toEqual({ ok: true });
      expect(await socket.emitWithAck('watch', { replicator: 'default', mask: 'bob@*' }))
        .toEqual({ ok: true });
      await overview;
      socket.emit('unwatch', { replicator: 'default', mask: 'bob@*' });
      socket.emit('unsubscribe', { replicator: 'default' });
    } finally {
      socket.close();
    }
  });
});

describe('socket.io as nobody', () => {
  it.each([
    ['no cookie', {}],
    ['a forged cookie', { cookie: 'replicator_session=Fe26.2**forged' }],
  ])('refuses the connection with %s: unauthorized', async (_what, extraHeaders) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false,
      extraHeaders });

    const error = await new Promise<Error & { data?: unknown }>((resolve) =>
      socket.once('connect_error', resolve));
    socket.close();

    expect(error.data).toEqual({ code: 'unauthorized' });
  });
});
