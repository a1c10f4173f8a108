/**
 * Fault: the socket file removed (e.g. /run cleaned under a running Dovecot). Connections
 * already open go on working (the hub's polls); a search, which needs a connection of its
 * own, and every connection once they break, cannot connect: the dashboard says
 * `no_such_socket` with what to check, until the file is back.
 */
import { afterEach, expect, it } from 'vitest';

import {
  expectDashboardUp,
  expectEnded,
  expectRecovered,
  expectShownDown,
  healthyStart,
  summarise,
  type FaultContext,
} from '../support/fault-checks';
import { killReplicator, SocketFile, untilReplicatorAnswers } from '../support/faults';
import { record } from '../support/report';

let ctx: FaultContext | undefined;
let file: SocketFile | undefined;

afterEach(() => {
  file?.restore();
  ctx?.live.close();
});

it('keeps open connections, then answers 503 no_such_socket, and recovers within 2 s', async () => {
  ctx = await healthyStart();
  const { api, commandTimeoutMs } = ctx;
  expect((await api.search('alice*')).status).toBe(200);
  file = new SocketFile(ctx.socket);

  file.remove();
  const stillOpen = await api.replicatorGet('/overview');
  const newConnection = await api.search('user0*');
  const removedAt = performance.now();
  killReplicator(ctx.pair);
  const shownMs = await expectShownDown(ctx, removedAt, ['no_such_socket']);
  const whileGone = await Promise.all([api.replicatorGet('/overview'), api.search('*')]);

  file.restore();
  const back = await untilReplicatorAnswers(ctx.socket);
  const recoveredMs = await expectRecovered(ctx, back);

  expectEnded(stillOpen, [{ status: 200 }], commandTimeoutMs);
  expectEnded(newConnection, [{ status: 503, codes: ['no_such_socket'] }], commandTimeoutMs);
  for (const answer of whileGone) {
    expectEnded(answer, [{ status: 503, codes: ['no_such_socket'] }], 0);
    expect(answer.body).toMatchObject({ error: { hint: expect.stringContaining('base_dir') } });
  }
  await expectDashboardUp(ctx);

  record({
    kind: 'fault', fault: 'socket file removed',
    requests: [summarise('overview on the open connection', stillOpen),
      summarise('search on a new connection', newConnection),
      summarise('overview while gone', whileGone[0]!),
      summarise('search while gone', whileGone[1]!)],
    shownMs, recoveredMs, lost: 0,
    notes: 'connections open before the removal keep working; the replicator was then killed ' +
      'to cut them, and Dovecot restarted it on the (unlinked) listening socket',
  });
});
