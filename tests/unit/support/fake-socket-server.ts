/**
 * A FAKE socket server for the client's fault tests. It is NOT the Dovecot replicator and
 * implements none of it: each test scripts, line by line, what the peer says, to produce
 * faults a real replicator cannot be made to show (wrong greetings, silence, cut answers,
 * stray lines). How the client gets on with a real replicator is the integration tests' job.
 *
 * It listens only on a UNIX socket in a fresh temporary directory, never on a network address.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CLIENT_VERSION = 'VERSION\treplicator-doveadm-client\t1\t0';
export const SERVER_GREETING = 'VERSION\treplicator-doveadm-server\t1\t0\n';

/** Items in arrival order; `next()` waits for one that has not been taken yet. */
class Inbox<T> {
  readonly all: T[] = [];
  private taken = 0;
  private endedBecause: string | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.all.push(item);
    this.wake?.();
  }

  end(why: string): void {
    this.endedBecause ??= why;
    this.wake?.();
  }

  async next(): Promise<T> {
    while (this.taken >= this.all.length) {
      if (this.endedBecause !== undefined) throw new Error(this.endedBecause);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.all[this.taken++]!;
  }
}

/** One connection accepted by the fake, seen from the fake's side. */
export class FakePeer {
  /** Both directions in order: `client: <line>` and `fake: <text as written>`. */
  readonly transcript: string[] = [];
  readonly closed: Promise<void>;
  private readonly lines = new Inbox<string>();
  private pending = Buffer.alloc(0);

  constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A connection cut by either side is what these tests are about, not a failure.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.lines.end('the client closed the connection');
        resolve();
      });
    });
  }

  /** Every line the client sent, without its LF. */
  get received(): string[] {
    return this.lines.all;
  }

  /** The next line from the client; fails if the connection closes first. */
  nextLine(): Promise<string> {
    return this.lines.next();
  }

  write(text: string): void {
    this.transcript.push(`fake: ${text}`);
    this.socket.write(text);
  }

  /** Waits for the client's VERSION line and answers with the replicator's greeting. */
  async greet(): Promise<void> {
    const first = await this.nextLine();
    if (first !== CLIENT_VERSION) throw new Error(`expected the client's VERSION, got ${first}`);
    this.write(SERVER_GREETING);
  }

  /** Cuts the connection at once. */
  cut(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (let end = this.pending.indexOf(0x0a); end >= 0; end = this.pending.indexOf(0x0a)) {
      const line = this.pending.subarray(0, end).toString('utf8');
      this.pending = this.pending.subarray(end + 1);
      this.transcript.push(`client: ${line}`);
      this.lines.push(line);
    }
  }
}

export class FakeSocketServer {
  private readonly peers = new Inbox<FakePeer>();

  private constructor(
    private readonly server: net.Server,
    private readonly dir: string,
    readonly path: string,
  ) {
    server.on('connection', (socket) => this.peers.push(new FakePeer(socket)));
  }

  /** Listens on `fake.sock` in a new temporary directory. */
  static async start(): Promise<FakeSocketServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicator-fake-'));
    const server = net.createServer();
    const fake = new FakeSocketServer(server, dir, path.join(dir, 'fake.sock'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(fake.path, resolve);
    });
    return fake;
  }

  /** How many connections the client has opened so far. */
  get connections(): number {
    return this.peers.all.length;
  }

  /** The next connection the client opens. */
  nextPeer(): Promise<FakePeer> {
    return this.peers.next();
  }

  /** The next connection, once the handshake is done. */
  async nextGreetedPeer(): Promise<FakePeer> {
    const peer = await this.nextPeer();
    await peer.greet();
    return peer;
  }

  /** Every line received, over all connections. */
  received(): string[] {
    return this.peers.all.flatMap((peer) => peer.received);
  }

  async stop(): Promise<void> {
    for (const peer of this.peers.all) peer.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
