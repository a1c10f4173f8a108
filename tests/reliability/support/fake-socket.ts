/**
 * A FAKE socket server, used for one fault only: "something that is not the replicator
 * listens at the replicator's socket path". It is NOT the Dovecot replicator and implements
 * none of it; it greets every connection with a scripted wrong greeting or with garbage,
 * and records what the client sent, so a test can prove no command reached it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';

export type FakeBehaviour =
  /** doveadm-server's greeting: REPLICATOR_SOCKET pointed at the wrong Dovecot socket. */
  | 'wrong-handshake'
  /** Random bytes, megabytes of them, with no line end: a broken or hostile peer. */
  | 'garbage';

export class FakeSocket {
  /** Every line any client sent, without its LF. */
  readonly received: string[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly path: string,
  ) {}

  /** Listens at `path` (which must not exist) until `stop`. */
  static async listen(path: string, behaviour: FakeBehaviour): Promise<FakeSocket> {
    const server = net.createServer();
    const fake = new FakeSocket(server, path);
    server.on('connection', (socket) => fake.serve(socket, behaviour));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return fake;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  private serve(socket: net.Socket, behaviour: FakeBehaviour): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('latin1')).split('\n');
      pending = lines.pop() ?? '';
      this.received.push(...lines);
    });
    if (behaviour === 'wrong-handshake') socket.write('VERSION\tdoveadm-server\t1\t0\n');
    else floodWithGarbage(socket);
  }
}

/** Writes 64 MiB of random bytes without LF, as fast as the reader takes them. */
function floodWithGarbage(socket: net.Socket): void {
  const chunk = randomBytes(1024 * 1024).map((byte) => (byte === 0x0a ? 0x0b : byte));
  let left = 64;
  const pump = () => {
    while (left > 0 && !socket.destroyed) {
      left--;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}
