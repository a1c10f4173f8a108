/**
 * Guessing passwords is slowed down: ten failed sign-ins for one name, or from one address,
 * within 15 minutes lock that name or address out until the window has passed. Counted in
 * memory with rate-limiter-flexible (one process; a restart forgets the counts).
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

export const MAX_FAILURES = 10;
export const WINDOW_SECONDS = 15 * 60;

export type LimitCheck = { limited: false } | { limited: true; retryAfterSeconds: number };

/** Failed sign-ins counted per name and per address. */
export class SignInLimiter {
  private readonly byName = limiter('name');
  private readonly byAddress = limiter('address');

  /** Whether this name or address has used up its failures for the current window. */
  async check(name: string, address: string): Promise<LimitCheck> {
    const states = await Promise.all([
      this.byName.get(nameKey(name)),
      this.byAddress.get(address),
    ]);
    const waits = states
      .filter((state) => state !== null && state.consumedPoints >= MAX_FAILURES)
      .map((state) => state!.msBeforeNext);
    if (waits.length === 0) return { limited: false };
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  }

  async failed(name: string, address: string): Promise<void> {
    await Promise.all([this.byName.penalty(nameKey(name)), this.byAddress.penalty(address)]);
  }

  /** A right password clears the name's count; the address keeps its own. */
  async succeeded(name: string): Promise<void> {
    await this.byName.delete(nameKey(name));
  }
}

function limiter(keyPrefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points: MAX_FAILURES, duration: WINDOW_SECONDS });
}

/** "Alice" and "alice" share one count, so changing case buys no extra guesses. */
function nameKey(name: string): string {
  return name.toLowerCase();
}
