/**
 * Splits a byte stream into LF-terminated lines. Lines inside one chunk are handed out as
 * views of that chunk (no copy); only a line cut across chunks is copied. A line is valid
 * only during the callback: a listener that keeps it must copy it.
 */
export class LineSplitter {
  private partial: Buffer[] = [];

  /** Feeds one chunk; calls `onLine` for each line it completes. Stops when it returns false. */
  push(chunk: Buffer, onLine: (line: Buffer) => boolean): void {
    let start = 0;

    for (;;) {
      const end = chunk.indexOf(0x0a, start);
      if (end < 0) break;

      const line = this.complete(chunk.subarray(start, end));
      start = end + 1;
      if (!onLine(line)) return;
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  /** Bytes received after the last complete line. */
  get pendingBytes(): number {
    return this.partial.reduce((sum, part) => sum + part.length, 0);
  }

  reset(): void {
    this.partial = [];
  }

  private complete(tail: Buffer): Buffer {
    if (this.partial.length === 0) return tail;

    const line = Buffer.concat([...this.partial, tail]);
    this.partial = [];
    return line;
  }
}
