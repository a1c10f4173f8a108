/**
 * One `STATUS <mask>` on a connection of its own, its user lines handed on in ranges of
 * whole lines as they arrive: what the parsing thread uses to read a large search itself.
 *
 * Why not the command connection: the replicator writes a large answer as fast as it makes
 * it and buffers whatever its reader has not taken, and it keeps a connection's buffer at the
 * largest size it grew to. At a million users and Dovecot's default `vsz_limit` it has some
 * 50 MB to spare, so a reader that pauses for a tenth of a second (the server's event loop
 * during a garbage collection, a page render) or a second large answer on the same
 * connection makes it die of "Out of memory". A thread that does nothing but read, on a
 * connection closed after each answer, pauses far less and leaves nothing behind.
 */
import net from 'node:net';

import { CLIENT_HANDSHAKE, checkHandshake } from './answers';
import { describeAddress, type ReplicatorAddress } from './client';
import {
  ReplicatorError,
  answerTimeout,
  closedConnection,
  connectionError,
  handshakeTimeout,
  notAReplicator,
} from './errors';
import { encodeCommand } from './escape';
import { MAX_GREETING_BYTES, MAX_LINE_BYTES } from './lines';

export interface StatusConnectionOptions {
  /** The replicator's id, for errors. */
  replicator: string;
  address: ReplicatorAddress;
  /** How long connecting plus the handshake may take. */
  connectTimeoutMs: number;
  /** How long the whole answer may take, from the moment this is called. */
  commandTimeoutMs: number;
}

/** Whole user lines, bytes[start, end), each ended by an LF; valid during the call only. */
export type LinesTaker = (bytes: Buffer, start: number, end: number) => void;

const LF = 0x0a;
const EMPTY_LINE = Buffer.from('\n\n');
/**
 * What one read from the socket takes at most; the same buffer for every read of every
 * connection of this thread, as each read is consumed (copied on) before the next.
 */
const READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);

/** Reads the answer to `STATUS <mask>`; resolves at its empty line, the connection closed. */
export function readStatusLines(
  options: StatusConnectionOptions,
  mask: string,
  take: LinesTaker,
): Promise<void> {
  return new Promise((resolve, reject) => {
    new StatusConnection(options, mask, take, (error) => (error ? reject(error) : resolve()));
  });
}

class StatusConnection {
  private readonly socket: net.Socket;
  private readonly lines: AnswerLines;
  private readonly timers: NodeJS.Timeout[];
  private greeted = false;
  private greeting = Buffer.alloc(0);
  private done = false;

  constructor(
    private readonly options: StatusConnectionOptions,
    private readonly mask: string,
    take: LinesTaker,
    private readonly settle: (error?: ReplicatorError) => void,
  ) {
    this.lines = new AnswerLines(take);
    const { address } = options;
    // Read into one buffer, handed over again each time: a million users are a thousand
    // reads, and a new buffer for each would be garbage the thread has to stop for.
    const onread = { buffer: READ_BUFFER, callback: (length: number, buffer: Uint8Array) => {
      this.received(Buffer.from(buffer.buffer, buffer.byteOffset, length));
      return true;
    } };
    this.socket = address.kind === 'unix'
      ? net.createConnection({ path: address.path, onread })
      : net.createConnection({ host: address.host, port: address.port, onread });
    this.timers = [
      setTimeout(() => this.handshakeTimedOut(), options.connectTimeoutMs),
      setTimeout(() => this.answerTimedOut(), options.commandTimeoutMs),
    ];
    this.socket.on('connect', () => this.socket.write(CLIENT_HANDSHAKE));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.failed(error));
    this.socket.on('close', () => this.closed());
  }

  private received(chunk: Buffer): void {
    if (this.done) return;

    const rest = this.greeted ? chunk : this.readGreeting(chunk);
    if (rest === undefined || rest.length === 0) return;

    let ended: boolean;
    try {
      ended = this.lines.push(rest);
    } catch (error) {
      return this.finish(this.protocolError((error as Error).message));
    }
    if (ended) this.finish();
  }

  /** Takes the greeting; returns what follows it, or undefined while it is incomplete. */
  private readGreeting(chunk: Buffer): Buffer | undefined {
    const lf = chunk.indexOf(LF);
    if (lf < 0) {
      this.greeting = Buffer.concat([this.greeting, chunk]);
      if (this.greeting.length > MAX_GREETING_BYTES) {
        this.finish(this.notReplicator(`no greeting in ${MAX_GREETING_BYTES} bytes`));
      }
      return undefined;
    }

    const verdict = checkHandshake(Buffer.concat([this.greeting, chunk.subarray(0, lf)]));
    if (!verdict.ok) {
      this.finish(this.notReplicator(verdict.why));
      return undefined;
    }
    this.greeted = true;
    clearTimeout(this.timers[0]);
    this.socket.write(encodeCommand('STATUS', [this.mask]));
    return chunk.subarray(lf + 1);
  }

  private failed(error: NodeJS.ErrnoException): void {
    if (this.greeted) return this.finish(this.disconnected(error));
    this.finish(connectionError(error, this.options.replicator, this.where()));
  }

  private closed(): void {
    this.finish(this.disconnected());
  }

  private handshakeTimedOut(): void {
    this.finish(handshakeTimeout(this.options.replicator, this.options.connectTimeoutMs));
  }

  private answerTimedOut(): void {
    this.finish(answerTimeout(this.options.replicator, 'STATUS', this.options.commandTimeoutMs));
  }

  /** Ends the read once: the connection goes either way. */
  private finish(error?: ReplicatorError): void {
    if (this.done) return;

    this.done = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.socket.destroy();
    this.settle(error);
  }

  private disconnected(cause?: unknown): ReplicatorError {
    return closedConnection(this.options.replicator, this.where(), { cause, command: 'STATUS' });
  }

  private notReplicator(why: string): ReplicatorError {
    return notAReplicator(this.options.replicator, this.where(), why);
  }

  private protocolError(why: string): ReplicatorError {
    return new ReplicatorError('protocol_error', `${this.where()}: ${why}`, {
      replicator: this.options.replicator,
      command: 'STATUS',
    });
  }

  private where(): string {
    return describeAddress(this.options.address);
  }
}

/**
 * The answer's lines as chunks bring them: whole lines go on in one range per chunk, a line
 * cut between chunks is joined first, and the empty line ends the answer.
 */
export class AnswerLines {
  /** The start of a line whose end has not come yet. */
  private partial: Buffer | undefined;
  /** Whether the bytes so far end with an LF: a chunk that starts with one is the end. */
  private atLineStart = true;

  constructor(private readonly take: LinesTaker) {}

  /** Takes a chunk; returns true once the empty line that ends the answer has come. */
  push(chunk: Buffer): boolean {
    const start = this.partial === undefined ? 0 : this.completePartial(chunk);
    if (start < 0) return false;
    if (start > 0 && this.atLineStart && chunk[start] === LF) return true;
    if (start === 0 && this.atLineStart && chunk[0] === LF) return true;

    const empty = chunk.indexOf(EMPTY_LINE, start);
    if (empty >= 0) {
      if (empty + 1 > start) this.take(chunk, start, empty + 1);
      return true;
    }

    const end = chunk.lastIndexOf(LF) + 1;
    if (end > start) this.take(chunk, start, end);
    this.atLineStart = end === chunk.length;
    this.partial = end === chunk.length ? undefined : Buffer.from(chunk.subarray(end));
    this.checkLength();
    return false;
  }

  /** Joins the cut line with its end in `chunk`; returns where the rest starts, or -1. */
  private completePartial(chunk: Buffer): number {
    const lf = chunk.indexOf(LF);
    if (lf < 0) {
      this.partial = Buffer.concat([this.partial!, chunk]);
      this.checkLength();
      return -1;
    }

    const line = Buffer.concat([this.partial!, chunk.subarray(0, lf + 1)]);
    this.partial = undefined;
    this.take(line, 0, line.length);
    this.atLineStart = true;
    return lf + 1;
  }

  private checkLength(): void {
    if ((this.partial?.length ?? 0) > MAX_LINE_BYTES) {
      throw new Error(`a line longer than ${MAX_LINE_BYTES} bytes`);
    }
  }
}
