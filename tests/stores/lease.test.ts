/** The poll lease on a real Redis: one holder, renewed and given back by its holder only. */
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { Lease } from '@/server/cluster/lease';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const key = () => `replicator-dashboard:test-lease:${randomBytes(6).toString('hex')}`;

describe('a poll lease', () => {
  it('has one holder; the other neither renews nor releases it', async () => {
    const name = key();
    const first = new Lease(redis, name, 'first', 5_000);
    const second = new Lease(redis, name, 'second', 5_000);

    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    expect(await second.renew()).toBe(false);
    await second.release();

    expect(await first.holder()).toBe('first');
    expect(await first.renew()).toBe(true);
  });

  it('passes to another once it runs out unrenewed', async () => {
    const name = key();
    const first = new Lease(redis, name, 'first', 200);
    const second = new Lease(redis, name, 'second', 200);
    expect(await first.acquire()).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await second.acquire()).toBe(true);
    expect(await first.renew()).toBe(false);
    await first.release();
    expect(await second.holder()).toBe('second');
  });

  it('is free at once when its holder gives it back', async () => {
    const name = key();
    const first = new Lease(redis, name, 'first', 60_000);
    expect(await first.acquire()).toBe(true);

    await first.release();

    expect(await new Lease(redis, name, 'second', 60_000).acquire()).toBe(true);
  });
});
