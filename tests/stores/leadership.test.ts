/**
 * Poll leadership on a real Redis: one holder per replicator, never two at once, and the
 * other instance takes over soon after the holder can no longer reach Redis.
 */
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';

import { RedisLeadership } from '@/server/cluster/leadership';
import { moduleLogger } from '@/server/log';

const TTL_MS = 400;
const log = moduleLogger('test');
let stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.allSettled(stops.map((stop) => stop()));
  stops = [];
});

function instance(id: string, owner: string) {
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 0, commandTimeout: 200 });
  redis.on('error', () => undefined);
  const leadership = new RedisLeadership(redis, [id], owner, TTL_MS, log);
  stops.push(async () => {
    await leadership.stop();
    redis.disconnect();
  });
  return { leadership, redis };
}

describe('poll leadership over Redis', () => {
  it('gives a replicator to one instance, and to the other once the first is cut off',
    async () => {
      const id = `test-${randomBytes(6).toString('hex')}`;
      const first = instance(id, 'first');
      first.leadership.start();
      await until(() => first.leadership.holds(id), 2_000);
      const second = instance(id, 'second');
      second.leadership.start();

      let both = 0;
      const watch = setInterval(() => {
        if (first.leadership.holds(id) && second.leadership.holds(id)) both++;
      }, 5);
      await new Promise((resolve) => setTimeout(resolve, 3 * TTL_MS));
      expect(second.leadership.holds(id)).toBe(false);

      const cut = performance.now();
      first.redis.disconnect();
      await until(() => second.leadership.holds(id), 5 * TTL_MS);
      const takeover = performance.now() - cut;
      clearInterval(watch);

      expect(first.leadership.holds(id)).toBe(false);
      expect(both).toBe(0);
      expect(takeover).toBeLessThan(TTL_MS + TTL_MS / 5 + 200);
    });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
