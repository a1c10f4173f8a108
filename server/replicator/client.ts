/**
 * A client of one replicator's doveadm protocol, over its UNIX socket or its
 * `inet_listener replicator-doveadm`. It knows nothing of HTTP.
 *
 * One connection, opened on demand; nothing is sent before the handshake; one command in
 * flight at a time with a queue behind it, changes ahead of waiting reads. A command that
 * was sent is never sent again: if its answer is lost, a change fails as `outcome_unknown`.
 */
import net from 'node:net';

import type { Logger } from '../log';
import { moduleLogger } from '../log';
import {
  AnswerFormatError,
  CLIENT_HANDSHAKE,
  DsyncReader,
  OverviewReader,
  SimpleReplyReader,
  UserLinesReader,
  UserStatusReader,
  checkHandshake,
  type AnswerReader,
  type DsyncSlot,
  type OverviewCounters,
  type SimpleReply,
  type UnparsedLines,
  type UserLine,
  type UserLineSink,
  type UserStatus,
} from './answers';
import {
  ReplicatorError,
  answerTimeout,
  closedConnection,
  connectionError,
  handshakeTimeout,
  notAReplicator,
} from './errors';
import { encodeCommand } from './escape';
import { ChunkQueue } from './chunk-queue';
import { LineSplitter, MAX_GREETING_BYTES, MAX_LINE_BYTES } from './lines';
import type { StatusConnectionOptions } from './status-connection';

export type ReplicatorAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number };

/** `host:port` names a TCP listener; anything else is a UNIX socket path. Throws on a bad port. */
export function parseAddress(text: string): ReplicatorAddress {
  const tcp = /^(\[[^\]]+\]|[^/:]+):(\d{1,5})$/.exec(text);
  if (tcp === null) return { kind: 'unix', path: text };

  const host = tcp[1]!.replace(/^\[|\]$/g, '');
  const port = Number(tcp[2]);
  if (port < 1 || port > 65535) throw new Error(`${text}: port out of range`);
  return { kind: 'tcp', host, port };
}

export function describeAddress(address: ReplicatorAddress): string {
  return address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
}

export interface ReplicatorClientOptions {
  /** The replicator's name in the dashboard, for errors and logs. */
  id: string;
  address: ReplicatorAddress;
  /** How long connecting plus the handshake may take; doveadm waits 5 s. */
  connectTimeoutMs?: number;
  /** How long a command may take from the moment it is asked for. */
  commandTimeoutMs?: number;
  logger?: Logger;
  /** Called for each command as it is sent, e.g. to count them. */
  onCommandSent?: (command: string) => void;
}

/**
 * After an answer this large the connection is closed, and the next command opens another.
 * The replicator keeps a connection's output buffer at the largest size it ever grew to, and
 * at a million users and its default `vsz_limit` it has some 50 MB to spare: the second
 * `STATUS *` on one connection killed it ("Out of memory") in every try here, while reads
 * on a new connection each time did not, eight in a row.
 */
const RECYCLE_AFTER_BYTES = 8 * 1024 * 1024;

export type ReplicatePriority = 'none' | 'low' | 'high' | 'sync';

type ConnectionState = 'closed' | 'connecting' | 'handshaking' | 'ready';

interface Command {
  name: string;
  /** The mask or username, for errors and logs. */
  subject: string | undefined;
  line: Buffer;
  reader: AnswerReader<unknown>;
  changesState: boolean;
  sent: boolean;
  /** Bytes of its answer read so far. */
  answerBytes: number;
  timer: NodeJS.Timeout | undefined;
  resolve: (value: unknown) => void;
  reject: (error: ReplicatorError) => void;
}

export class ReplicatorClient {
  readonly id: string;
  readonly address: ReplicatorAddress;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly log: Logger;
  private readonly onCommandSent: (command: string) => void;

  private state: ConnectionState = 'closed';
  private socket: net.Socket | undefined;
  private readonly splitter = new LineSplitter();
  private readonly received = new ChunkQueue((chunk) => this.parseChunk(chunk));
  private readonly queue: Command[] = [];
  /** Why the current connection is being torn down, when this client decided it. */
  private teardownReason: ReplicatorError | undefined;
  private socketError: NodeJS.ErrnoException | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private closing = false;
  /** Connections in a row that closed before the greeting; see `closeReason`. */
  private silentCloses = 0;
  /** Set while a connection is closed on purpose after a large answer (RECYCLE_AFTER_BYTES). */
  private recycling = false;

  constructor(options: ReplicatorClientOptions) {
    this.id = options.id;
    this.address = options.address;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
    this.log = options.logger ?? moduleLogger('replicator-client', { replicator: options.id });
    this.onCommandSent = options.onCommandSent ?? (() => {});
  }

  /** True while a connection has completed its handshake. */
  get connected(): boolean {
    return this.state === 'ready';
  }

  /** Where and within what time a STATUS on a connection of its own is read (another thread). */
  get separateConnection(): StatusConnectionOptions {
    return { replicator: this.id, address: this.address, connectTimeoutMs: this.connectTimeoutMs,
      commandTimeoutMs: this.commandTimeoutMs };
  }

  /** Counts a command sent on a connection of its own, as those sent here are counted. */
  noteSent(command: string): void {
    this.onCommandSent(command);
  }

  /** The seven queue counters (`STATUS`). */
  status(): Promise<OverviewCounters> {
    return this.execute('STATUS', [], new OverviewReader(), false);
  }

  /**
   * The users matching a mask (`STATUS <mask>`), handed to `sink` as they are parsed, so the
   * caller keeps only what it needs (copied: the line is reused). Resolves with the lines
   * that did not parse.
   */
  statusUsers(mask: string, sink: (line: UserLine) => void): Promise<UnparsedLines> {
    return this.execute('STATUS', [mask], new UserStatusReader(sink), false);
  }

  /**
   * The lines of `STATUS <mask>` as received, unparsed, for a parser elsewhere (a worker
   * thread): this process then only splits the answer into lines as it reads.
   */
  statusUserLines(mask: string, sink: UserLineSink): Promise<void> {
    return this.execute('STATUS', [mask], new UserLinesReader(sink), false);
  }

  /** The users matching a mask, all kept in an array. */
  async listUsers(mask: string): Promise<{ users: UserStatus[]; unparsed: UnparsedLines }> {
    const users: UserStatus[] = [];
    const unparsed = await this.statusUsers(mask, (line) => users.push(line.toUserStatus()));
    return { users, unparsed };
  }

  /** The dsync connection slots (`STATUS-DSYNC`). */
  dsyncStatus(): Promise<DsyncSlot[]> {
    return this.execute('STATUS-DSYNC', [], new DsyncReader(), false);
  }

  /**
   * Queues a user, or every known user matching a wildcard mask, for replication. A mask
   * without wildcards is one username and is added if unknown. Resolves with the count.
   */
  async replicate(mask: string, priority: ReplicatePriority, full: boolean): Promise<number> {
    const reply = await this.simple('REPLICATE', [priority, full ? 'f' : '', mask], mask);
    const count = /^\d+$/.test(reply) ? Number(reply) : NaN;

    if (Number.isNaN(count)) throw this.protocolError('REPLICATE', `count expected: ${reply}`);
    return count;
  }

  /** Adds a user, or asks the userdb for the users of a wildcard mask (`ADD`). */
  async add(mask: string): Promise<void> {
    await this.simple('ADD', [mask], mask);
  }

  /** Removes a user from the queue (`REMOVE`); fails with `user_not_found` if unknown. */
  async remove(username: string): Promise<void> {
    await this.simple('REMOVE', [username], username);
  }

  /** Ends the connection; commands still waiting fail as disconnected. */
  close(): void {
    this.closing = true;
    this.teardown(new ReplicatorError('disconnected', 'client closed', { replicator: this.id }));
    for (const command of this.queue.splice(0)) this.fail(command, undefined);
  }

  private async simple(name: string, args: string[], subject: string): Promise<string> {
    const reply = await this.execute<SimpleReply>(name, args, new SimpleReplyReader(), true);
    if (reply.ok) return reply.text;

    const notFound = name === 'REMOVE' && reply.reason === 'User not found';
    throw new ReplicatorError(
      notFound ? 'user_not_found' : 'refused',
      notFound ? `user not found: ${subject}` : `replicator refused ${name}: ${reply.reason}`,
      { replicator: this.id, command: name },
    );
  }

  private execute<T>(
    name: string,
    args: string[],
    reader: AnswerReader<T>,
    changesState: boolean,
  ): Promise<T> {
    this.closing = false;
    return new Promise<T>((resolve, reject) => {
      const command: Command = {
        name,
        subject: args.at(-1),
        line: encodeCommand(name, args),
        reader,
        changesState,
        sent: false,
        answerBytes: 0,
        timer: undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      command.timer = setTimeout(() => this.expire(command), this.commandTimeoutMs);
      this.enqueue(command);
      this.pump();
    });
  }

  /**
   * A change (someone's replicate, add or remove) goes ahead of the reads still waiting,
   * behind earlier changes: one person's action should not wait for a crowd's searches.
   * Reads keep their order among themselves, and so do changes.
   */
  private enqueue(command: Command): void {
    const waitingRead = this.queue.findIndex((queued) => !queued.sent && !queued.changesState);
    if (!command.changesState || waitingRead === -1) this.queue.push(command);
    else this.queue.splice(waitingRead, 0, command);
  }

  /** Sends the head of the queue when the connection is ready and nothing is in flight. */
  private pump(): void {
    const head = this.queue[0];
    if (head === undefined) return;

    if (this.state === 'closed') {
      this.open();
      return;
    }
    // A connection being torn down stays 'ready' until its close event; a command written to
    // it now would be lost, so it waits in the queue and `onClose` opens a new connection.
    if (this.state !== 'ready' || head.sent || !this.socket!.writable) return;

    head.sent = true;
    this.log.debug({ command: head.name, mask: head.subject }, 'command sent');
    this.socket!.write(head.line);
    this.onCommandSent(head.name);
  }

  private open(): void {
    const socket =
      this.address.kind === 'unix'
        ? net.createConnection({ path: this.address.path })
        : net.createConnection({ host: this.address.host, port: this.address.port });

    this.socket = socket;
    this.teardownReason = undefined;
    this.socketError = undefined;
    this.splitter.reset();
    this.received.clear();
    this.setState('connecting');
    this.connectTimer = setTimeout(() => this.handshakeTimedOut(), this.connectTimeoutMs);

    socket.on('connect', () => this.onConnect());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketError = error;
    });
    socket.on('close', () => this.onClose(socket));
  }

  private onConnect(): void {
    this.setState('handshaking');
    this.socket!.write(CLIENT_HANDSHAKE);
  }

  private handshakeTimedOut(): void {
    this.teardown(handshakeTimeout(this.id, this.connectTimeoutMs));
  }

  private onData(chunk: Buffer): void {
    this.received.push(chunk);
  }

  /** Returns false once the connection is being torn down, so the rest is not parsed. */
  private parseChunk(chunk: Buffer): boolean {
    let more = true;
    this.splitter.push(chunk, (bytes, start, end) => (more = this.onLine(bytes, start, end)));
    return more && this.lineWithinLimit();
  }

  /**
   * A peer that is not the replicator may send bytes without a line end for ever; kept, they
   * would grow this process by gigabytes before any timeout. The greeting is one short line
   * and no answer line comes near a mebibyte, so a longer one ends the connection.
   */
  private lineWithinLimit(): boolean {
    const limit = this.state === 'handshaking' ? MAX_GREETING_BYTES : MAX_LINE_BYTES;
    if (this.splitter.pendingBytes <= limit) return true;

    const why = this.state === 'handshaking'
      ? notAReplicator(this.id, this.where(), `no greeting in ${limit} bytes`)
      : this.protocolError(this.queue[0]?.name, `a line longer than ${limit} bytes`);
    this.teardown(why);
    return false;
  }

  /** Returns false once the connection is being torn down, so no further line is read. */
  private onLine(bytes: Buffer, start: number, end: number): boolean {
    if (this.teardownReason !== undefined) return false;
    if (this.state === 'handshaking') return this.onHandshake(bytes.subarray(start, end));

    const head = this.queue[0];
    if (head === undefined || !head.sent) {
      this.teardown(this.protocolError(undefined, 'answer with no command waiting'));
      return false;
    }
    return this.feed(head, bytes, start, end);
  }

  private onHandshake(line: Buffer): boolean {
    const verdict = checkHandshake(line);
    if (!verdict.ok) {
      this.teardown(notAReplicator(this.id, this.where(), verdict.why));
      return false;
    }
    clearTimeout(this.connectTimer);
    this.silentCloses = 0;
    this.setState('ready');
    this.pump();
    return true;
  }

  private feed(command: Command, bytes: Buffer, start: number, end: number): boolean {
    let done: boolean;
    try {
      done = command.reader.take(bytes, start, end);
    } catch (error) {
      this.teardown(this.protocolError(command.name, describe(error), error));
      return false;
    }
    command.answerBytes += end - start + 1;
    if (!done) return true;

    this.queue.shift();
    this.settle(command);
    if (command.answerBytes >= RECYCLE_AFTER_BYTES) this.recycle();
    else this.pump();
    return true;
  }

  /** Closes a connection that has done nothing wrong; the next command opens another. */
  private recycle(): void {
    this.recycling = true;
    this.socket?.destroy();
  }

  private settle(command: Command): void {
    clearTimeout(command.timer);
    try {
      command.resolve(command.reader.result());
    } catch (error) {
      const why = error instanceof AnswerFormatError ? error.message : describe(error);
      command.reject(this.protocolError(command.name, why, error));
    }
  }

  /** A command's time is up: unsent, it just leaves the queue; sent, the connection goes. */
  private expire(command: Command): void {
    const error = answerTimeout(this.id, command.name, this.commandTimeoutMs);

    if (command.sent) {
      this.teardown(error);
      return;
    }
    this.queue.splice(this.queue.indexOf(command), 1);
    this.fail(command, error);
  }

  /** Destroys the connection for a reason of this client's; `onClose` does the rest. */
  private teardown(reason: ReplicatorError): void {
    if (this.socket === undefined || this.socket.destroyed) return;

    this.teardownReason ??= reason;
    this.socket.destroy();
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket) return;
    if (this.recycling) return this.reopen();

    // An answer may have arrived in full just before the close: it counts.
    if (this.teardownReason === undefined) this.received.drain();

    clearTimeout(this.connectTimer);
    const wasReady = this.state === 'ready';
    const reason = this.closeReason(wasReady);
    this.socket = undefined;
    this.setState('closed', reason);

    const inFlight = this.queue[0]?.sent === true ? this.queue.shift() : undefined;
    if (inFlight !== undefined) this.fail(inFlight, reason);

    // Unsent commands survive a lost connection and go out on the next one; if connecting
    // itself failed, they fail with it rather than loop.
    if (!wasReady || this.closing) {
      for (const command of this.queue.splice(0)) this.fail(command, reason);
    }
    this.pump();
  }

  /** After a recycled connection's close: nothing failed, nothing is logged as news. */
  private reopen(): void {
    this.recycling = false;
    this.socket = undefined;
    this.log.debug({ from: this.state }, 'connection closed after a large answer');
    this.state = 'closed';
    this.pump();
  }

  private closeReason(wasReady: boolean): ReplicatorError {
    if (this.teardownReason !== undefined) return this.teardownReason;
    if (this.socketError !== undefined && this.state === 'connecting') {
      return connectionError(this.socketError, this.id, this.where());
    }
    const cause = this.socketError;
    if (!wasReady && ++this.silentCloses === 1) {
      // A stopping Dovecot also hangs up before the greeting, once (the reliability run saw
      // it tell operators to check REPLICATOR_SOCKET during a plain `dovecot stop`).
      return new ReplicatorError('disconnected',
        `${this.where()} closed the connection before the handshake`, {
          replicator: this.id,
          cause,
          hint: 'Dovecot may be stopping or restarting the replicator; if this goes on, ' +
            'REPLICATOR_SOCKET may name the socket of another service.',
        });
    }
    if (!wasReady) {
      // The replicator greets every client at once; a peer that hangs up without a word
      // every time speaks another protocol (doveadm-server, the replicator's internal
      // socket, ...).
      return new ReplicatorError('not_a_replicator',
        `${this.where()} closed the connection before the handshake`, {
          replicator: this.id,
          cause,
          hint: 'This is probably not the replicator-doveadm listener of ' +
            '`service replicator`; check REPLICATOR_SOCKET.',
        });
    }
    return closedConnection(this.id, this.where(), { cause });
  }

  private fail(command: Command, reason: ReplicatorError | undefined): void {
    clearTimeout(command.timer);
    const error =
      reason ?? new ReplicatorError('disconnected', 'client closed', { replicator: this.id });

    if (command.sent && command.changesState) {
      command.reject(this.outcomeUnknown(command, error));
      return;
    }
    command.reject(error);
  }

  private outcomeUnknown(command: Command, cause: ReplicatorError): ReplicatorError {
    const message =
      `${command.name} was sent but its answer was lost (${cause.message}); ` +
      'the replicator may or may not have done it';
    return new ReplicatorError('outcome_unknown', message, {
      replicator: this.id,
      command: command.name,
      cause,
      hint: "Look at the user's priority in the queue before asking again.",
    });
  }

  private protocolError(command: string | undefined, why: string, cause?: unknown) {
    return new ReplicatorError('protocol_error', `${this.where()}: ${why}`, {
      replicator: this.id,
      command,
      cause,
    });
  }

  private setState(next: ConnectionState, reason?: ReplicatorError): void {
    if (next === this.state) return;

    const fields = { from: this.state, to: next, error: reason?.message };
    // Only gaining or losing a working connection is news; retries while down are not.
    const news = (next === 'ready' || this.state === 'ready') && !this.closing;
    if (!news) this.log.debug(fields, 'connection state');
    else this.log.info(fields, 'connection state');
    this.state = next;
  }

  private where(): string {
    return describeAddress(this.address);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
