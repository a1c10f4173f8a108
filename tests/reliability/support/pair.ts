/**
 * A real Dovecot pair of the reliability run's own (scripts/dovecot-pair.sh with another
 * folder and other ports), loaded with generated users, and the handles the fault tests
 * need: the master's and the replicator's pids, the socket, a handshake probe.
 *
 * Every pair on this machine names its replicator process `dovecot-pair-primary/replicator`,
 * so the replicator is found as the child of this pair's master, never by name alone.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { type DumpedUser, waitForUsers, writeReplicatorDb } from '@/bench/replicator-db';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/dovecot-pair.sh');

export interface PairSpec {
  /** Folder of the pair's state, under the repo (git-ignored as `.dovecot-*`). */
  dir: string;
  /** Replica doveadm, primary doveadm and replicator TCP ports, in that order. */
  ports: [number, number, number];
}

/** The fault tests' pair: ports 24430-24432. */
export const FAULT_PAIR: PairSpec = {
  dir: join(ROOT, '.dovecot-faults'),
  ports: portsFrom('RELIABILITY_FAULT_PORTS', [24430, 24431, 24432]),
};

/** The load run's pair: ports 24440-24442. */
export const LOAD_PAIR: PairSpec = {
  dir: join(ROOT, '.dovecot-load'),
  ports: portsFrom('RELIABILITY_LOAD_PORTS', [24440, 24441, 24442]),
};

export interface PairPaths {
  socket: string;
  conf: string;
  stateDir: string;
  logFile: string;
}

export class DovecotPair {
  private known: PairPaths | undefined;

  constructor(readonly spec: PairSpec) {}

  /** Starts what is not running and waits for the replicator's handshake. */
  start(): Promise<void> {
    return this.script('start');
  }

  /** Stops both instances and waits until every process of theirs has gone. */
  stop(): Promise<void> {
    return this.script('stop');
  }

  /** Where the pair's socket, config, state and log are, as the script says. */
  paths(): PairPaths {
    this.known ??= this.askPaths();
    return this.known;
  }

  private askPaths(): PairPaths {
    const names = ['REPLICATOR_SOCKET', 'DOVECOT_PRIMARY_CONF', 'DOVECOT_PRIMARY_STATE_DIR'];
    const print = names.map((name) => `"$${name}"`).join(' ');
    const script = `eval "$(bash "$0" env)" && printf '%s\\0' ${print}`;
    const options = { env: this.env(), encoding: 'utf8' as const };
    const text = execFileSync('bash', ['-c', script, SCRIPT], options);
    const [socket, conf, stateDir] = text.split('\0') as [string, string, string];
    return { socket, conf, stateDir, logFile: join(conf, '..', 'dovecot.log') };
  }

  /**
   * Restarts the pair knowing `users` generated users (plus the 200 demo users of its userdb)
   * and waits until the replicator has loaded them. Returns the replicator's user count.
   */
  async load(users: number): Promise<number> {
    await this.start();
    await this.stop();
    await writeReplicatorDb(join(this.paths().stateDir, 'replicator.db'), users, generatedUser);
    await this.start();
    return waitForUsers(this.paths().socket, users);
  }

  /** The pid of the primary's master process, if it runs. */
  masterPid(): number | undefined {
    const pidFile = join(this.paths().socket, '..', 'master.pid');
    const text = readProcLike(pidFile);
    return text === undefined ? undefined : Number(text.trim());
  }

  /** The pid of the running replicator: the master's child called `replicator`, if any. */
  replicatorPid(): number | undefined {
    const master = this.masterPid();
    if (master === undefined) return undefined;
    return childPids(master).find((pid) => commandName(pid) === 'replicator');
  }

  /** Runs the script without blocking this process: live events keep their true times. */
  private async script(command: string): Promise<void> {
    try {
      await run('bash', [SCRIPT, command], { env: this.env() });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`dovecot-pair.sh ${command} failed: ${stderr}`, { cause: error });
    }
  }

  private env(): NodeJS.ProcessEnv {
    const [replica, primary, replicator] = this.spec.ports;
    return {
      ...process.env,
      DOVECOT_PAIR_DIR: this.spec.dir,
      DOVECOT_PAIR_REPLICA_PORT: String(replica),
      DOVECOT_PAIR_PRIMARY_PORT: String(primary),
      DOVECOT_PAIR_REPLICATOR_PORT: String(replicator),
      // Small mailboxes: the first start full-syncs every demo user.
      DOVECOT_PAIR_BIG_MESSAGES: '10',
    };
  }
}

/** A generated username, clearly not a person's: `rel0000042@load<n>.example`. */
export function generatedUsername(i: number): string {
  return `rel${String(i).padStart(7, '0')}@load${i % 3}.example`;
}

/** The generated users: none failed, each synced well at its last full sync. */
function generatedUser(i: number, now: number): DumpedUser {
  const lastFullSync = now - (i % 43_200);
  return { username: generatedUsername(i), lastFullSync, failed: false, lastSuccessfulSync: now };
}

/**
 * Whether something at `socket` answers the replicator's handshake within `timeoutMs`: the
 * tests' own view of "the replicator is back", independent of the dashboard.
 */
export function replicatorAnswers(socket: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = net.createConnection({ path: socket });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      connection.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    let text = '';
    connection.on('connect', () => connection.write('VERSION\treplicator-doveadm-client\t1\t0\n'));
    connection.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\n')) done(text.startsWith('VERSION\treplicator-doveadm-server\t1\t'));
    });
    connection.on('error', () => done(false));
  });
}

function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), 'stat');
    // The fields after the command name (in parentheses): state, then the parent's pid.
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) children.push(Number(entry));
  }
  return children;
}

function commandName(pid: number): string | undefined {
  return readProc(pid, 'comm')?.trim();
}

function readProc(pid: number, file: string): string | undefined {
  return readProcLike(`/proc/${pid}/${file}`);
}

/** A small file's text, or undefined when it is gone (processes and pid files come and go). */
function readProcLike(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function portsFrom(name: string, fallback: [number, number, number]): [number, number, number] {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const ports = text.split(/[,\s-]+/).map(Number);
  if (ports.length !== 3 || ports.some((port) => !Number.isInteger(port))) {
    throw new Error(`${name} must be three ports, e.g. 24430,24431,24432`);
  }
  return ports as [number, number, number];
}
