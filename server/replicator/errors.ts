/**
 * Typed failures of talking to a replicator. Each carries the replicator's id, the command
 * (when one was involved), a code an operator can look up, and a hint of what to do.
 */

import { statSync } from 'node:fs';

export type ReplicatorErrorCode =
  /** The UNIX socket path does not exist: Dovecot is stopped or the path is wrong. */
  | 'no_such_socket'
  /** The socket exists but this process may not connect to it. */
  | 'permission_denied'
  /** Nothing listens there (a stale socket file, or a closed TCP port). */
  | 'connection_refused'
  /** No answer in time: the handshake, or a command. */
  | 'timeout'
  /** Something answered, but not with the replicator's handshake. */
  | 'not_a_replicator'
  /** The connection closed while a command waited for its answer. */
  | 'disconnected'
  /** The replicator answered something this client cannot read. */
  | 'protocol_error'
  /** The replicator refused the command with a `-reason` answer. */
  | 'refused'
  /** REMOVE of a user the replicator does not know. */
  | 'user_not_found'
  /** A state-changing command was sent, but its answer was lost: it may or may not be done. */
  | 'outcome_unknown'
  /** The doveadm HTTP API refused the API key or password. */
  | 'auth_failed'
  /** The connection failed in a way not listed above. */
  | 'unreachable';

export interface ReplicatorErrorOptions {
  replicator: string;
  command?: string;
  hint?: string;
  cause?: unknown;
}

export class ReplicatorError extends Error {
  override readonly name = 'ReplicatorError';
  readonly code: ReplicatorErrorCode;
  readonly replicator: string;
  readonly command: string | undefined;
  readonly hint: string | null;

  constructor(code: ReplicatorErrorCode, message: string, options: ReplicatorErrorOptions) {
    super(message, { cause: options.cause });
    this.code = code;
    this.replicator = options.replicator;
    this.command = options.command;
    this.hint = options.hint ?? null;
  }

  /** True when the replicator could not be reached at all (as opposed to misbehaving). */
  get unreachable(): boolean {
    return UNREACHABLE_CODES.has(this.code);
  }
}

const UNREACHABLE_CODES: ReadonlySet<ReplicatorErrorCode> = new Set([
  'no_such_socket',
  'permission_denied',
  'connection_refused',
  'unreachable',
]);

const SOCKET_HINTS: Record<string, { code: ReplicatorErrorCode; text: string; hint: string }> = {
  ENOENT: {
    code: 'no_such_socket',
    text: 'no such socket',
    hint:
      'Is Dovecot running with `service replicator`? Check REPLICATOR_SOCKET against ' +
      '`doveconf -h base_dir` + /replicator-doveadm.',
  },
  EACCES: {
    code: 'permission_denied',
    text: 'permission denied',
    hint:
      'The socket is 0600 and owned by the internal user by default. Set `user`, `group` ' +
      'or `mode` in `service replicator { unix_listener replicator-doveadm { ... } }` ' +
      'so this process may connect, then reload Dovecot.',
  },
  EPERM: {
    code: 'permission_denied',
    text: 'permission denied',
    hint:
      'Set `user`, `group` or `mode` in `service replicator { unix_listener ' +
      'replicator-doveadm { ... } }` so this process may connect.',
  },
  ECONNREFUSED: {
    code: 'connection_refused',
    text: 'connection refused',
    hint:
      'Nothing listens there: Dovecot may be stopped (a stale socket file) or the ' +
      '`inet_listener replicator-doveadm` port is wrong.',
  },
};

/** Turns a socket-level failure (errno) into a ReplicatorError an operator can act on. */
export function connectionError(
  cause: NodeJS.ErrnoException,
  replicator: string,
  address: string,
): ReplicatorError {
  if (isUnixPathButNotSocket(cause, address)) {
    return new ReplicatorError('not_a_replicator', `${address} is not a socket`, {
      replicator,
      cause,
      hint: 'REPLICATOR_SOCKET names a file or folder; point it at the replicator-doveadm ' +
        'socket in Dovecot\'s base_dir.',
    });
  }
  const known = cause.code === undefined ? undefined : SOCKET_HINTS[cause.code];
  if (known === undefined) {
    return new ReplicatorError('unreachable', `${address}: ${cause.message}`, {
      replicator,
      cause,
      hint: 'Check that Dovecot runs and that this address is the replicator.',
    });
  }
  return new ReplicatorError(known.code, `${address}: ${known.text}`, {
    replicator,
    cause,
    hint: known.hint,
  });
}

/** A path that exists but is no socket also fails to connect as "refused". */
function isUnixPathButNotSocket(cause: NodeJS.ErrnoException, address: string): boolean {
  if (cause.code !== 'ECONNREFUSED' && cause.code !== 'ENOTSOCK') return false;
  if (!address.startsWith('/') && !address.startsWith('.')) return false;
  try {
    return !statSync(address).isSocket();
  } catch {
    return false;
  }
}

/** The connection's handshake did not come in time. */
export function handshakeTimeout(replicator: string, timeoutMs: number): ReplicatorError {
  return new ReplicatorError('timeout', `no replicator handshake within ${timeoutMs / 1000} s`, {
    replicator,
    hint: 'The replicator may be busy (listing a large userdb at start) or stopped.',
  });
}

/** A command's answer did not come in time. */
export function answerTimeout(replicator: string, command: string, timeoutMs: number) {
  return new ReplicatorError('timeout', `${command}: no answer within ${timeoutMs / 1000} s`, {
    replicator,
    command,
    hint: 'The replicator may be frozen or overloaded.',
  });
}

/** The peer at `address` does not greet as the replicator does. */
export function notAReplicator(replicator: string, address: string, why: string) {
  return new ReplicatorError('not_a_replicator', `${address}: ${why}`, {
    replicator,
    hint: 'This address is not the replicator-doveadm listener of `service replicator`.',
  });
}

/** The connection to `address` closed while an answer was awaited. */
export function closedConnection(
  replicator: string,
  address: string,
  options: { cause?: unknown; command?: string } = {},
): ReplicatorError {
  return new ReplicatorError('disconnected', `${address} closed the connection`, {
    replicator,
    ...options,
    hint: 'The replicator process may have restarted; the dashboard reconnects by itself.',
  });
}
