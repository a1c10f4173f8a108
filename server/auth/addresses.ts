/**
 * Where a replicator lives (a socket path, host:port, an API URL) says much about the mail
 * host's layout and nothing a viewer or the helpdesk can act on. Operators, who configure it,
 * see it; everybody else reads the replicator's id in its place, in states, error answers,
 * live events and audit rows.
 */
import type { Replicator } from '../replicators';
import { roleAllows, type Principal } from './policy';

/** Whether `who` may read replicator addresses; nobody signed in (a probe) may not. */
export function seesAddresses(who: Principal | null): boolean {
  return who !== null && roleAllows(who.role, 'see-addresses');
}

/** `value` with every replicator address in its strings replaced by the replicator's name. */
export function withoutAddresses<T>(value: T, replicators: readonly Replicator[]): T {
  const known = replicators
    .filter((r) => r.address !== '')
    .map((r) => ({ address: r.address, shown: `<address of ${r.name}>` }));
  return replaceStrings(value, (text) => hide(text, known)) as T;
}

/** `value` as `who` may see it. */
export function addressesFor<T>(
  who: Principal | null,
  value: T,
  replicators: readonly Replicator[],
): T {
  return seesAddresses(who) ? value : withoutAddresses(value, replicators);
}

function hide(text: string, known: readonly { address: string; shown: string }[]): string {
  let result = text;
  for (const { address, shown } of known) result = result.replaceAll(address, shown);
  return result;
}

function replaceStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, change));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = replaceStrings(item, change);
  return copy;
}
