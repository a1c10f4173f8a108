/**
 * A client of the doveadm HTTP API (`service doveadm { inet_listener http }`) for the five
 * replicator commands. doveadm runs each command by connecting to the replicator on its own
 * host, so the dashboard needs no socket there; what this way cannot tell is in `limits`:
 * no time to the next sync, sync times from "how long ago" (to about a second), and no
 * reason when the replicator refuses (doveadm only logs it).
 *
 * The mask travels as a JSON string; doveadm tab-escapes it on its way to the replicator.
 */
import type { Logger } from '../log';
import { moduleLogger } from '../log';
import type { DsyncSlot, OverviewCounters, UnparsedLines } from './answers';
import { AnswerFormatError } from './answers';
import type { ReplicatePriority } from './client';
import { ReplicatorError } from './errors';
import {
  commandResult,
  dsyncsFromRows,
  overviewFromRows,
  updatedFromRows,
  usersFromRows,
} from './http-answers';
import type { ReplicatorTransport, TransportLimits, UserSink } from './transport';

export interface DoveadmHttpOptions {
  id: string;
  /** The API's address, e.g. http://10.0.0.5:8080/doveadm/v1. */
  url: string;
  /** The whole Authorization header value; never logged. */
  authorization: string;
  commandTimeoutMs?: number;
  logger?: Logger;
  onCommandSent?: (command: string) => void;
}

const HTTP_LIMITS: TransportLimits = {
  unknownUserFields: ['nextSyncSeconds'],
  relativeTimes: true,
};

/** doveadm's exit codes (sysexits.h) that the replicator commands end with. */
const EX_USAGE = 64;
const EX_TEMPFAIL = 75;

/** The replicator command each API command stands for, for metrics and errors. */
const COMMAND_NAMES: Record<string, string> = {
  replicatorStatus: 'STATUS',
  replicatorDsyncStatus: 'STATUS-DSYNC',
  replicatorReplicate: 'REPLICATE',
  replicatorAdd: 'ADD',
  replicatorRemove: 'REMOVE',
};

interface Answer {
  rows: Record<string, unknown>[];
  /** Unix seconds when the answer's headers arrived: doveadm's "ago" counts back from then. */
  atSeconds: number;
}

export class DoveadmHttpClient implements ReplicatorTransport {
  readonly kind = 'doveadm-http';
  readonly limits = HTTP_LIMITS;
  readonly id: string;
  private readonly url: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private readonly onCommandSent: (command: string) => void;
  private readonly inFlight = new Set<AbortController>();
  private tags = 0;

  constructor(options: DoveadmHttpOptions) {
    this.id = options.id;
    this.url = options.url;
    this.authorization = options.authorization;
    this.timeoutMs = options.commandTimeoutMs ?? 30_000;
    this.log = options.logger ?? moduleLogger('doveadm-http', { replicator: options.id });
    this.onCommandSent = options.onCommandSent ?? (() => {});
  }

  async status(): Promise<OverviewCounters> {
    const { rows } = await this.call('replicatorStatus', {}, false);
    return this.read('replicatorStatus', () => overviewFromRows(rows));
  }

  async statusUsers(mask: string, sink: UserSink): Promise<UnparsedLines> {
    const { rows, atSeconds } = await this.call('replicatorStatus', { userMask: mask }, false);
    return usersFromRows(rows, atSeconds, (user) => sink.add(user));
  }

  async dsyncStatus(): Promise<DsyncSlot[]> {
    const { rows } = await this.call('replicatorDsyncStatus', {}, false);
    return this.read('replicatorDsyncStatus', () => dsyncsFromRows(rows));
  }

  async replicate(mask: string, priority: ReplicatePriority, full: boolean): Promise<number> {
    const parameters = { userMask: mask, priority, fullSync: full };
    const { rows } = await this.call('replicatorReplicate', parameters, true);
    return this.read('replicatorReplicate', () => updatedFromRows(rows));
  }

  async add(mask: string): Promise<void> {
    await this.call('replicatorAdd', { userMask: mask }, true);
  }

  /** doveadm does not say why a REMOVE was refused; an unknown user is checked for. */
  async remove(username: string): Promise<void> {
    try {
      await this.call('replicatorRemove', { user: username }, true);
    } catch (error) {
      if (error instanceof ReplicatorError && error.code === 'refused') {
        if (!(await this.knows(username))) throw this.userNotFound(username, error);
      }
      throw error;
    }
  }

  /** Cancels the requests in flight; they fail as disconnected. */
  close(): void {
    for (const controller of this.inFlight) controller.abort();
  }

  private userNotFound(username: string, cause: ReplicatorError): ReplicatorError {
    return new ReplicatorError('user_not_found', `user not found: ${username}`, {
      replicator: this.id,
      command: 'REMOVE',
      cause,
    });
  }

  private async knows(username: string): Promise<boolean> {
    const { rows } = await this.call('replicatorStatus', { userMask: username }, false);
    return rows.some((row) => row.username === username);
  }

  /** One command, one request; the timeout covers the whole answer, body included. */
  private async call(
    command: string,
    parameters: Record<string, unknown>,
    changesState: boolean,
  ): Promise<Answer> {
    const tag = `c${++this.tags}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), this.timeoutMs);
    this.inFlight.add(controller);
    try {
      const response = await this.post(command, [[command, parameters, tag]], controller.signal);
      const atSeconds = Math.floor(Date.now() / 1000);

      const text = await response.text();
      const result = this.read(command, () => commandResult(parseJson(text), tag));
      if (!result.ok) throw this.commandFailed(command, result.type, result.exitCode, changesState);
      return { rows: result.rows, atSeconds };
    } catch (error) {
      throw this.transportFailed(command, error, changesState, controller.signal);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private async post(command: string, payload: unknown, signal: AbortSignal) {
    this.log.debug({ command }, 'command sent');
    this.onCommandSent(COMMAND_NAMES[command] ?? command);

    const response = await fetch(this.url, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
    });
    return this.checkStatus(command, response);
  }

  private async checkStatus(command: string, response: Response): Promise<Response> {
    if (response.status === 200) return response;

    await response.body?.cancel();
    if (response.status === 401) {
      throw new ReplicatorError('auth_failed', `${this.url}: doveadm refused the credentials`, {
        replicator: this.id,
        command: COMMAND_NAMES[command],
        hint: 'Check the API key or password in REPLICATORS_FILE against doveadm_api_key ' +
          'or doveadm_password of that Dovecot.',
      });
    }
    throw this.protocolError(command, `HTTP ${response.status} ${response.statusText}`);
  }

  private read<T>(command: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof AnswerFormatError)) throw error;
      throw this.protocolError(command, error.message, error);
    }
  }

  private commandFailed(
    command: string,
    type: string,
    exitCode: number | null,
    changesState: boolean,
  ): ReplicatorError {
    const name = COMMAND_NAMES[command];
    const options = { replicator: this.id, command: name };
    if (type === 'exitCode' && exitCode === EX_TEMPFAIL) {
      const lost = new ReplicatorError('disconnected',
        `${name}: doveadm says the replicator disconnected unexpectedly`, {
          ...options,
          hint: 'The replicator process may have restarted; the dashboard retries by itself.',
        });
      return changesState ? this.outcomeUnknown(command, lost) : lost;
    }
    if (type === 'exitCode' && exitCode === EX_USAGE) {
      return new ReplicatorError('refused', `the replicator refused ${name}; the doveadm ` +
        'HTTP API does not say why (it is in the log of that Dovecot)', options);
    }
    return new ReplicatorError('refused', `doveadm refused ${command}: ${type}` +
      (exitCode === null ? '' : ` (exit code ${exitCode})`), {
      ...options,
      hint: type === 'unAuthorized'
        ? 'doveadm_allowed_commands of that Dovecot does not allow this command.'
        : undefined,
    });
  }

  private transportFailed(
    command: string,
    error: unknown,
    changesState: boolean,
    signal: AbortSignal,
  ) {
    if (error instanceof ReplicatorError) return error;

    const why = signal.aborted && !(signal.reason instanceof TimeoutSignal)
      ? new ReplicatorError('disconnected', 'client closed', { replicator: this.id })
      : this.describeFailure(command, error);
    const refusedToConnect = why.code === 'connection_refused';
    return changesState && !refusedToConnect ? this.outcomeUnknown(command, why) : why;
  }

  private describeFailure(command: string, error: unknown): ReplicatorError {
    const options = { replicator: this.id, command: COMMAND_NAMES[command], cause: error };
    const reason = (error as { cause?: unknown } | undefined)?.cause ?? error;
    if (reason instanceof TimeoutSignal || (error as Error).name === 'TimeoutSignal') {
      return new ReplicatorError('timeout',
        `${COMMAND_NAMES[command]}: no answer from doveadm within ${this.timeoutMs / 1000} s`,
        { ...options, hint: 'The backend or its replicator may be frozen or overloaded.' });
    }
    const code = (reason as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ECONNREFUSED') {
      return new ReplicatorError('connection_refused', `${this.url}: connection refused`, {
        ...options,
        hint: 'Nothing listens there: Dovecot may be stopped, or the `service doveadm { ' +
          'inet_listener http }` port in REPLICATORS_FILE is wrong.',
      });
    }
    return new ReplicatorError('unreachable',
      `${this.url}: doveadm closed the connection without an answer`, {
        ...options,
        hint: 'doveadm exits without an answer when it cannot reach the replicator: is ' +
          '`service replicator` running on that Dovecot?',
      });
  }

  private outcomeUnknown(command: string, cause: ReplicatorError): ReplicatorError {
    const name = COMMAND_NAMES[command];
    return new ReplicatorError('outcome_unknown',
      `${name} was sent but its answer was lost (${cause.message}); ` +
        'the replicator may or may not have done it', {
        replicator: this.id,
        command: name,
        cause,
        hint: "Look at the user's priority in the queue before asking again.",
      });
  }

  private protocolError(command: string, why: string, cause?: unknown): ReplicatorError {
    return new ReplicatorError('protocol_error', `${this.url}: ${why}`, {
      replicator: this.id,
      command: COMMAND_NAMES[command],
      cause,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AnswerFormatError(`not JSON: ${text.slice(0, 80)}`);
  }
}

/** The reason an abort carries when the time ran out (not a close). */
class TimeoutSignal extends Error {
  override readonly name = 'TimeoutSignal';
}
