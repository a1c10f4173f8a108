/**
 * The two-way Dovecot pair of the fleet tests (scripts/fleet-pair.sh): both sides run a
 * replicator and the primary serves the doveadm HTTP API. Started by the tests that use it,
 * on FLEET_PAIR_BASE_PORT and the four ports after it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/fleet-pair.sh', import.meta.url));

export interface FleetPairAddresses {
  /** The primary's doveadm HTTP API, and the Authorization header its API key makes. */
  httpUrl: string;
  httpAuthorization: string;
  /** The primary's replicator socket, the same replicator the HTTP API reaches. */
  primarySocket: string;
  primaryConf: string;
  /** The replica's own replicator (two-way). */
  replicaSocket: string;
  replicaConf: string;
  /** The replica's Maildir homes: <domain>/<local part>. */
  replicaMailRoot: string;
}

export function fleetPair(...args: string[]): void {
  execFileSync('bash', [SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function fleetPairAddresses(): FleetPairAddresses {
  const names = ['DOVEADM_HTTP_URL', 'DOVEADM_API_KEY_FILE', 'REPLICATOR_SOCKET',
    'DOVECOT_PRIMARY_CONF', 'REPLICA_REPLICATOR_SOCKET', 'DOVECOT_REPLICA_CONF',
    'DOVECOT_REPLICA_MAIL_ROOT'];
  const print = names.map((name) => `"$${name}"`).join(' ');
  const script = `eval "$(bash "$0" env)" && printf '%s\\0' ${print}`;
  const values = execFileSync('bash', ['-c', script, SCRIPT], { encoding: 'utf8' }).split('\0');
  const [httpUrl, keyFile, primarySocket, primaryConf, replicaSocket, replicaConf,
    replicaMailRoot] = values;
  if (!httpUrl || !keyFile || !replicaSocket || !replicaConf || !replicaMailRoot) {
    throw new Error(`fleet-pair.sh env said: ${values.join(' ')}`);
  }

  const key = readFileSync(keyFile, 'utf8').trim();
  return {
    httpUrl,
    httpAuthorization: `X-Dovecot-API ${Buffer.from(key).toString('base64')}`,
    primarySocket: primarySocket!,
    primaryConf: primaryConf!,
    replicaSocket,
    replicaConf,
    replicaMailRoot,
  };
}

/** A REPLICATORS_FILE naming the pair's two sides, "west" (HTTP API) and "east". */
export function writeFleetListing(file: string): void {
  fleetPair('listing', file);
}

/** Waits until a condition holds, asking every 100 ms; fails after `timeoutMs`. */
export async function until(
  what: string | (() => string),
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${typeof what === 'string' ? what : what()}: not within ${timeoutMs} ms`);
}
