/**
 * Splits a byte stream into LF-terminated lines. A line inside one chunk is handed out as a
 * range of that chunk, without a copy or even a view object: a million-line answer costs
 * no allocation per line here. Only a line cut across chunks is copied. The range is valid
 * only during the callback.
 */
export type LineListener = (bytes: Buffer, start: number, end: number) => boolean;

/** The replicator's greeting is about 40 bytes; a peer that sends more without a LF is not it. */
export const MAX_GREETING_BYTES = 1024;
/** Far above any answer line (a username and six numbers), far below harm to this process. */
export const MAX_LINE_BYTES = 1024 * 1024;

export class LineSplitter {
  private partial: Buffer[] = [];

  /** Feeds one chunk; calls `onLine` for each line it completes. Stops when it returns false. */
  push(chunk: Buffer, onLine: LineListener): void {
    let start = 0;

    for (;;) {
      const end = chunk.indexOf(0x0a, start);
      if (end < 0) break;

      const more = this.partial.length === 0
        ? onLine(chunk, start, end)
        : this.completePartial(chunk.subarray(start, end), onLine);
      start = end + 1;
      if (!more) return;
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

  private completePartial(tail: Buffer, onLine: LineListener): boolean {
    const line = Buffer.concat([...this.partial, tail]);
    this.partial = [];
    return onLine(line, 0, line.length);
  }
}
