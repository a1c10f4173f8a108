/**
 * The lines of a user search in batches of whole lines, for the parsing thread: copied as
 * they are read, handed on when a batch is full, its buffer then transferred, not copied.
 */
import type { UserLineSink } from '../replicator/answers';

/** Lines go to the parsing thread in batches about this large: a few milliseconds of reading. */
export const BATCH_BYTES = 256 * 1024;

/**
 * Copies ranges of lines into batches of whole lines (each ending in LF), handed on when
 * full: a batch's buffer is then transferred, not copied again.
 */
export class LineBatches implements UserLineSink {
  private batch: Uint8Array;
  private used = 0;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly emptyBatch: () => ArrayBuffer,
  ) {
    this.batch = new Uint8Array(emptyBatch());
  }

  lines(bytes: Buffer, start: number, end: number): void {
    const length = end - start + 1;
    if (this.used + length > this.batch.length) {
      this.flush();
      // A line cut across chunks comes alone; no line comes near a mebibyte (the client).
      if (length > this.batch.length) this.batch = new Uint8Array(length);
    }

    bytes.copy(this.batch, this.used, start, end);
    this.batch[this.used + length - 1] = 0x0a;
    this.used += length;
  }

  /** Hands on what is batched. */
  flush(): void {
    if (this.used === 0) return;

    this.send(this.batch.subarray(0, this.used));
    this.batch = new Uint8Array(this.emptyBatch());
    this.used = 0;
  }
}
