/**
 * Loading a real replicator with many users quickly, for the benchmark and the reliability
 * tests: its `replicator.db` is written before it starts (the replicator's own dump format,
 * one tab-separated line per user), then the tests wait until it answers with them all.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

import { ReplicatorClient, parseAddress } from '../server/replicator/client';

/** One user as the dump stores it; times in Unix seconds. */
export interface DumpedUser {
  username: string;
  lastFullSync: number;
  failed: boolean;
  lastSuccessfulSync: number;
}

/**
 * Writes `count` users, user i as `userAt(i, now)`. None is queued and each had a full sync
 * lately, so the replicator syncs none of them (they are not in the userdb: a sync would
 * drop them). A failed one is retried only five minutes after `now`.
 */
export async function writeReplicatorDb(
  path: string,
  count: number,
  userAt: (i: number, now: number) => DumpedUser,
): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const out = createWriteStream(path, { mode: 0o600 });

  for (let i = 0; i < count; i++) {
    const user = userAt(i, now);
    const failed = user.failed ? 1 : 0;
    const line = `${user.username}\t0\t${now}\t${now}\t${user.lastFullSync}\t${failed}\t\t` +
      `${user.lastSuccessfulSync}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** Waits (two minutes at most) until the replicator knows `users`; resolves with its count. */
export async function waitForUsers(socket: string, users: number): Promise<number> {
  const client = new ReplicatorClient({ id: 'loader', address: parseAddress(socket) });
  const deadline = Date.now() + 120_000;
  try {
    while (Date.now() < deadline) {
      const total = await client.status().then((c) => c.totalUsers, () => 0);
      if (total >= users) return total;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    client.close();
  }
  throw new Error(`the replicator at ${socket} did not load ${users} users in 120 s`);
}
