/**
 * Fault: something else at the replicator's socket path, greeting with the wrong handshake
 * or with garbage. The something is a FAKE socket server (support/fake-socket.ts), not the
 * replicator: the real socket is kept aside meanwhile and put back to end the fault. The
 * replicator is killed once to cut the dashboard's open connections to it.
 */
import { readFileSync } from 'node:fs';

import { afterEach, expect, inject, it } from 'vitest';

import {
  expectDashboardUp,
  expectEnded,
  expectRecovered,
  expectShownDown,
  healthyStart,
  summarise,
  type FaultContext,
} from '../support/fault-checks';
import { FakeSocket, type FakeBehaviour } from '../support/fake-socket';
import { killReplicator, SocketFile, untilReplicatorAnswers } from '../support/faults';
import { record } from '../support/report';

let ctx: FaultContext | undefined;
let file: SocketFile | undefined;
let fake: FakeSocket | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  file?.restore();
  ctx?.live.close();
});

/** The dashboard's resident memory, from /proc. */
function serverRssBytes(): number {
  const status = readFileSync(`/proc/${inject('relServerPid')}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

it.each<FakeBehaviour>(['wrong-handshake', 'garbage'])(
  'answers 502 not_a_replicator to a fake greeting with %s, sends it no command',
  async (behaviour) => {
    ctx = await healthyStart();
    const { api, commandTimeoutMs } = ctx;
    file = new SocketFile(ctx.socket);
    const replicateBefore = await api.commandCount('REPLICATE');
    const rssBefore = serverRssBytes();

    file.remove();
    fake = await FakeSocket.listen(ctx.socket, behaviour);
    const swappedAt = performance.now();
    killReplicator(ctx.pair);
    const shownMs = await expectShownDown(ctx, swappedAt, ['not_a_replicator']);
    const wrong = await Promise.all([api.replicatorGet('/overview'), api.search('*'),
      api.replicate('alice@example.com', 'high')]);
    const rssDuring = serverRssBytes();
    // The hub keeps knocking: wait until the fake has heard at least one whole line.
    await expect.poll(() => fake!.received.length, { timeout: 5_000 }).toBeGreaterThan(0);
    const heard = [...fake.received];

    await fake.stop();
    fake = undefined;
    file.restore();
    const recoveredMs = await expectRecovered(ctx, await untilReplicatorAnswers(ctx.socket));

    for (const answer of wrong) {
      expectEnded(answer, [{ status: 502, codes: ['not_a_replicator'] }], commandTimeoutMs);
    }
    expect(await api.commandCount('REPLICATE')).toBe(replicateBefore);
    expect(heard.filter((line) => line !== 'VERSION\treplicator-doveadm-client\t1\t0')).toEqual([]);
    expect(rssDuring - rssBefore).toBeLessThan(200 * 1024 * 1024);
    await expectDashboardUp(ctx);

    record({
      kind: 'fault', fault: `a fake peer on the socket: ${behaviour}`,
      requests: ['overview', 'search *', 'replicate'].map((w, i) => summarise(w, wrong[i]!)),
      shownMs, recoveredMs, lost: 0,
      replicate: { asked: 1, sent: (await api.commandCount('REPLICATE')) - replicateBefore,
        outcome: wrong[2]!.code },
      notes: `server memory grew by ${Math.round((rssDuring - rssBefore) / 1e6)} MB meanwhile`,
    });
  },
);
