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
  const text = execFileSync('bash', [SCRIPT, 'env'], { encoding: 'utf8' });
  const vars = Object.fromEntries(
    [...text.matchAll(/^export (\w+)=['"]?([^'"\n]*)['"]?$/gm)].map((m) => [m[1], m[2]]),
  );
  const socket = vars.REPLICATOR_SOCKET;
  const inet = vars.REPLICATOR_INET;
  const primaryConf = vars.DOVECOT_PRIMARY_CONF;
  if (!socket || !inet || !primaryConf) throw new Error(`dovecot-pair.sh env said: ${text}`);
  return { socket, inet, primaryConf };
}

/** `doveadm replicator ...` against the pair, for checking the dashboard against doveadm. */
export function doveadm(conf: string, args: string[]): string {
  return execFileSync('doveadm', ['-c', conf, 'replicator', ...args], { encoding: 'utf8' });
}
