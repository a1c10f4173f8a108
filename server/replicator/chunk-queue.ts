/**
 * Takes a socket's chunks as fast as they arrive and parses them in short slices between
 * reads. The replicator writes a large answer in one go and buffers in its own memory
 * whatever its reader has not taken yet; with a million users and Dovecot's default
 * `vsz_limit`, a reader that parses as it reads (and so reads slower than the replicator
 * writes) makes the replicator die of "Out of memory". Reading is never paused here: at
 * worst the unparsed bytes wait in this process instead.
 */
export class ChunkQueue {
  private chunks: Buffer[] = [];
  private scheduled = false;

  /**
   * @param parse handles one chunk; returns false to drop the rest (the connection is gone).
   * @param sliceMs how long one parsing slice may hold the event loop. Reads happen only
   *   between slices, and each takes at most what the kernel's socket buffer holds (a few
   *   hundred KB), so slices must be short for reading to keep up with the replicator.
   */
  constructor(
    private readonly parse: (chunk: Buffer) => boolean,
    private readonly sliceMs = 1,
  ) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    if (this.scheduled) return;

    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  /** Parses everything still waiting, at once: before a close is handled, say. */
  drain(): void {
    while (this.chunks.length > 0) {
      if (!this.parse(this.chunks.shift()!)) this.chunks = [];
    }
  }

  /** Forgets what is waiting. */
  clear(): void {
    this.chunks = [];
  }

  /** Bytes received but not parsed yet. */
  get pendingBytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  private slice(): void {
    this.scheduled = false;
    const deadline = performance.now() + this.sliceMs;

    while (this.chunks.length > 0 && performance.now() < deadline) {
      if (!this.parse(this.chunks.shift()!)) this.chunks = [];
    }
    if (this.chunks.length === 0) return;

    this.scheduled = true;
    setImmediate(() => this.slice());
  }
}
