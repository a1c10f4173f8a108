/**
 * The doveadm HTTP API transport against a real doveadm HTTP listener, compared with the
 * socket client on the same replicator (the two-way pair's primary): what one says, the
 * other must say too, except what the HTTP API cannot tell.
 */
import net from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { UserStatus } from '@/server/replicator/answers';
import { ReplicatorClient, parseAddress } from '@/server/replicator/client';
import { ReplicatorError } from '@/server/replicator/errors';
import { DoveadmHttpClient } from '@/server/replicator/http-client';
import { SocketTransport, listUsers } from '@/server/replicator/transport';

import { fleetPair, fleetPairAddresses, until } from './support/fleet';

let http: DoveadmHttpClient;
let socket: SocketTransport;
let url: string;

beforeAll(() => {
  fleetPair('start');
  const addresses = fleetPairAddresses();
  url = addresses.httpUrl;
  http = new DoveadmHttpClient({
    id: 'west-http', url, authorization: addresses.httpAuthorization, commandTimeoutMs: 10_000,
  });
  const address = parseAddress(addresses.primarySocket);
  socket = new SocketTransport(new ReplicatorClient({ id: 'west-socket', address }));
});

afterAll(() => {
  http?.close();
  socket?.close();
});

function byName(users: UserStatus[]): Map<string, UserStatus> {
  return new Map(users.map((u) => [u.username, u]));
}

describe('the doveadm HTTP API and the socket on the same replicator', () => {
  it('report the same counters once the queue is still', async () => {
    // Both replicators of the pair full-sync every user at first start: wait for quiet.
    await until('equal counters', async () => {
      const [a, b] = [await http.status(), await socket.status()];
      return JSON.stringify(a) === JSON.stringify(b);
    });
    const overview = await http.status();
    expect(overview.totalUsers).toBe(200);
  });

  it('list the same users with the same fields, times to within 2 s', async () => {
    const before = Math.floor(Date.now() / 1000);
    const viaHttp = byName((await listUsers(http, '*@example.org')).users);
    const viaSocket = byName((await listUsers(socket, '*@example.org')).users);

    expect([...viaHttp.keys()].sort()).toEqual([...viaSocket.keys()].sort());
    expect(viaHttp.size).toBe(86);
    for (const [name, s] of viaSocket) {
      const h = viaHttp.get(name)!;
      expect({ ...h, lastFastSync: 0, lastFullSync: 0, lastSuccessfulSync: 0 })
        .toEqual({ ...s, lastFastSync: 0, lastFullSync: 0, lastSuccessfulSync: 0,
          nextSyncSeconds: null });
      for (const field of ['lastFastSync', 'lastFullSync', 'lastSuccessfulSync'] as const) {
        if (s[field] === 0) expect(h[field], `${name} ${field}`).toBe(0);
        else expect(Math.abs(h[field] - s[field]), `${name} ${field}`).toBeLessThanOrEqual(2);
      }
    }
    // The absolute times are really absolute: none lies in the future of the answer.
    const newest = Math.max(...[...viaHttp.values()].map((u) => u.lastFastSync));
    expect(newest).toBeLessThanOrEqual(before + 3);
  });

  it('say the HTTP API cannot tell the next sync', () => {
    expect(http.limits.unknownUserFields).toContain('nextSyncSeconds');
    expect(socket.limits.unknownUserFields).toEqual([]);
  });

  it('list the same dsync slots', async () => {
    const [viaHttp, viaSocket] = [await http.dsyncStatus(), await socket.dsyncStatus()];
    expect(viaHttp).toHaveLength(viaSocket.length);
    expect(viaHttp.length).toBeGreaterThan(0);
  });

  it('queue the same number of users for a wildcard replicate', async () => {
    const viaHttp = await http.replicate('user00?@example.net', 'low', false);
    const viaSocket = await socket.replicate('user00?@example.net', 'low', false);
    expect(viaHttp).toBe(9);
    expect(viaSocket).toBe(9);
  });

  it('remove and add a user through the HTTP API, as the socket then sees', async () => {
    const name = 'user042@example.org';
    await http.remove(name);
    expect((await listUsers(socket, name)).users).toEqual([]);

    await http.add(name);
    await until(`${name} back`, async () => (await listUsers(socket, name)).users.length === 1);
  });

  it('answers user_not_found for a REMOVE of an unknown user', async () => {
    const failure = await http.remove('nobody-here@example.invalid').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ReplicatorError);
    expect((failure as ReplicatorError).code).toBe('user_not_found');
  });

  it('sends a mask with TAB and LF as one mask: nothing is smuggled', async () => {
    const victim = 'alice@example.com';
    const hostile = `x\nREMOVE\t${victim}`;
    expect((await listUsers(http, hostile)).users).toEqual([]);
    expect((await listUsers(socket, victim)).users).toHaveLength(1);
  });
});

describe('HTTP API failures', () => {
  it('says auth_failed for a wrong API key', async () => {
    const wrong = new DoveadmHttpClient({ id: 'wrong', url, authorization: 'X-Dovecot-API eA==' });
    const failure = await wrong.status().catch((e: unknown) => e);
    expect((failure as ReplicatorError).code).toBe('auth_failed');
  });

  it('says connection_refused where nothing listens', async () => {
    const port = await closedPort();
    const nowhere = new DoveadmHttpClient({
      id: 'nowhere', url: `http://127.0.0.1:${port}/doveadm/v1`, authorization: 'x',
    });
    const failure = await nowhere.status().catch((e: unknown) => e);
    expect((failure as ReplicatorError).code).toBe('connection_refused');
  });
});

/** A loopback port the system just gave out and took back: nothing listens there. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
