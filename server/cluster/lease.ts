/**
 * A lease in Redis: who polls one replicator. Taken with SET NX PX, renewed and given back
 * by scripts that first check the holder, atomically, so an instance whose lease ran out
 * (a pause, a lost connection) can never renew or delete the lease another has taken since.
 */
import type { Redis } from 'ioredis';

/** Extends the lease only if `owner` still holds it: 1 when renewed, 0 when lost. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** Deletes the lease only if `owner` still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end`;

export class Lease {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease when nobody holds it; true when this owner holds it now. */
  async acquire(): Promise<boolean> {
    const set = await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX');
    return set === 'OK';
  }

  /** Extends the lease; false when it is no longer this owner's. */
  async renew(): Promise<boolean> {
    const renewed = await this.redis.eval(RENEW, 1, this.key, this.owner, this.ttlMs);
    return renewed === 1;
  }

  /** Gives the lease back at once (a clean stop), so another instance need not wait. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }

  /** Who holds the lease now, if anybody. */
  holder(): Promise<string | null> {
    return this.redis.get(this.key);
  }
}
