/**
 * A user search read by the worker thread from the real replicator of the project's Dovecot
 * pair: the same users, in the same order, as the table filled in the event loop.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';

import { WorkerUserReader, readInThread } from '@/server/live/user-reading';
import type { UserTable } from '@/server/live/user-table';
import { ReplicatorClient, parseAddress } from '@/server/replicator/client';
import { SocketTransport } from '@/server/replicator/transport';

const transport = new SocketTransport(
  new ReplicatorClient({ id: 'itest', address: parseAddress(inject('replicatorSocket')) }),
);
const reader = new WorkerUserReader();

afterAll(() => {
  transport.close();
  reader.close();
});

function usernames(table: UserTable): string[] {
  const view = { sort: 'username' as const, order: 'asc' as const, filter: {} };
  return Array.from(table.page(view, 0, table.length, 0).rows, (row) => table.username(row));
}

describe('reading a search in the worker thread', () => {
  it('finds every user of * as the event loop does', async () => {
    await reader.prepare();

    const inWorker = await reader.read(transport, '*');
    const inLoop = await readInThread()(transport, '*');

    expect(reader.working).toBe(true);
    expect(inWorker.unparsed.count).toBe(0);
    expect(inWorker.users.length).toBeGreaterThan(150);
    expect(usernames(inWorker.users)).toEqual(usernames(inLoop.users));
  });
});
