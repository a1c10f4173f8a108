/**
 * The project's real Dovecot pair (scripts/dovecot-pair.sh), as the integration tests use
 * it: started if needed, its addresses read from the script, stopped and started on demand.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/dovecot-pair.sh', import.meta.url));

export interface PairAddresses {
  /** The primary's replicator-doveadm UNIX socket. */
  socket: string;
  /** The primary's `inet_listener replicator-doveadm`, as host:port. */
  inet: string;
  primaryConf: string;
}

export function pair(command: 'start' | 'stop' | 'restart'): void {
  execFileSync('bash', [SCRIPT, command], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function pairAddresses(): PairAddresses {
  // Let bash undo the script's own quoting, so a clone path with spaces works too.
  const names = ['REPLICATOR_SOCKET', 'REPLICATOR_INET', 'DOVECOT_PRIMARY_CONF'];
  const print = names.map((name) => `"$${name}"`).join(' ');
  const script = `eval "$(bash "$0" env)" && printf '%s\\0' ${print}`;
  const text = execFileSync('bash', ['-c', script, SCRIPT], { encoding: 'utf8' });

  const [socket, inet, primaryConf] = text.split('\0');
  if (!socket || !inet || !primaryConf) throw new Error(`dovecot-pair.sh env said: ${text}`);
  return { socket, inet, primaryConf };
}

/** `doveadm replicator ...` against the pair, for checking the dashboard against doveadm. */
export function doveadm(conf: string, args: string[]): string {
  return execFileSync('doveadm', ['-c', conf, 'replicator', ...args], { encoding: 'utf8' });
}

/**
 * Takes a demo user out of the replicator's queue, so a test can add it back through the
 * dashboard. A user the userdb knows stays once added; an invented name would be dropped
 * again at its first sync, racing the test.
 */
export function takeOutOfQueue(conf: string, username: string): void {
  try {
    doveadm(conf, ['remove', username]);
  } catch {
    // Not in the queue: that is what was wanted.
  }
}

/** Puts a demo user back into the queue, whatever a test left behind. */
export function putBackInQueue(conf: string, username: string): void {
  doveadm(conf, ['add', username]);
}
