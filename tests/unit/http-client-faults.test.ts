/**
 * Faults of the doveadm HTTP API that a real doveadm shows rarely or only by chance (the
 * replicator going away in the middle of a command, doveadm dying, a frozen backend), from
 * a small HTTP server that answers as doveadm 2.3.19.1 does in those cases.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { ReplicatorError } from '@/server/replicator/errors';
import { DoveadmHttpClient } from '@/server/replicator/http-client';

type Behaviour = (body: unknown[][], response: http.ServerResponse) => void;

let server: http.Server | undefined;

afterEach(() => new Promise<void>((resolve) => {
  server?.closeAllConnections();
  server?.close(() => resolve());
}));

/** A doveadm stand-in: each request's commands are handed to `behave`. */
async function doveadmLike(behave: Behaviour): Promise<DoveadmHttpClient> {
  server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => behave(JSON.parse(text) as unknown[][], response));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new DoveadmHttpClient({
    id: 'fake', url: `http://127.0.0.1:${port}/doveadm/v1`, authorization: 'X-Dovecot-API eA==',
    commandTimeoutMs: 300,
  });
}

/** doveadm's answer when a command ended with an exit code. */
function exitCode(code: number): Behaviour {
  return (body, response) => {
    const tag = body[0]![2];
    response.end(JSON.stringify([['error', { type: 'exitCode', exitCode: code }, tag]]));
  };
}

async function failure(work: Promise<unknown>): Promise<ReplicatorError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ReplicatorError);
  return error as ReplicatorError;
}

describe('the replicator disconnected in the middle of a command (exit code 75)', () => {
  it('is "disconnected" for a read', async () => {
    const client = await doveadmLike(exitCode(75));
    expect((await failure(client.status())).code).toBe('disconnected');
  });

  it('is outcome_unknown for a replicate: it may have been done', async () => {
    const client = await doveadmLike(exitCode(75));
    const error = await failure(client.replicate('alice@example.com', 'high', false));
    expect(error.code).toBe('outcome_unknown');
    expect((error.cause as ReplicatorError).code).toBe('disconnected');
  });
});

describe('doveadm exits without an answer (it cannot reach the replicator)', () => {
  const hangUp: Behaviour = (_body, response) => response.socket?.destroy();

  it('is "unreachable" for a read', async () => {
    const client = await doveadmLike(hangUp);
    expect((await failure(client.dsyncStatus())).code).toBe('unreachable');
  });

  it('is outcome_unknown for an add', async () => {
    const client = await doveadmLike(hangUp);
    expect((await failure(client.add('*@example.com'))).code).toBe('outcome_unknown');
  });
});

describe('a frozen backend', () => {
  it('times out within the command timeout', async () => {
    const client = await doveadmLike(() => undefined);
    const started = performance.now();

    expect((await failure(client.status())).code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('times out when the answer stops half-way; a replicate\'s outcome is unknown', async () => {
    const client = await doveadmLike((_body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[["doveadmResponse",');
    });

    expect((await failure(client.status())).code).toBe('timeout');
    const lost = await failure(client.replicate('alice@example.com', 'low', false));
    expect(lost.code).toBe('outcome_unknown');
    expect((lost.cause as ReplicatorError).code).toBe('timeout');
  });
});

describe('answers that are not doveadm\'s', () => {
  it('is a protocol_error for a body that is no JSON, or another HTTP status', async () => {
    const notJson = await doveadmLike((_b, response) => response.end('<html>'));
    expect((await failure(notJson.status())).code).toBe('protocol_error');
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const teapot = await doveadmLike((_b, response) => {
      response.statusCode = 418;
      response.end();
    });
    expect((await failure(teapot.status())).code).toBe('protocol_error');
  });

  it('refuses with the reason unknown for exit code 64, as doveadm only logs it', async () => {
    const client = await doveadmLike(exitCode(64));
    const error = await failure(client.replicate('x', 'low', false));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/does not say why/);
  });
});
