import { describe, expect, it } from 'vitest';

import { ChunkQueue } from '@/server/replicator/chunk-queue';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('ChunkQueue', () => {
  it('takes chunks at once and parses them later, in order', async () => {
    const parsed: string[] = [];
    const queue = new ChunkQueue((chunk) => parsed.push(chunk.toString()) > 0);

    queue.push(Buffer.from('a'));
    queue.push(Buffer.from('b'));
    const before = [...parsed];
    await nextTurn();

    expect(before).toEqual([]);
    expect(parsed).toEqual(['a', 'b']);
  });

  it('yields to the event loop once a slice is used up', async () => {
    const parsed: number[] = [];
    const queue = new ChunkQueue((chunk) => {
      const until = performance.now() + 3;
      while (performance.now() < until);
      return parsed.push(chunk[0]!) > 0;
    }, 5);

    for (let i = 0; i < 10; i++) queue.push(Buffer.of(i));
    await nextTurn();

    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.length).toBeLessThan(10);
    expect(queue.pendingBytes).toBe(10 - parsed.length);
  });

  it('drops what is left once the parser says the connection is gone', async () => {
    const parsed: string[] = [];
    const queue = new ChunkQueue((chunk) => parsed.push(chunk.toString()) < 1);

    queue.push(Buffer.from('a'));
    queue.push(Buffer.from('b'));
    await nextTurn();

    expect(parsed).toEqual(['a']);
    expect(queue.pendingBytes).toBe(0);
  });

  it('parses everything at once when drained', () => {
    const parsed: string[] = [];
    const queue = new ChunkQueue((chunk) => parsed.push(chunk.toString()) > 0);

    queue.push(Buffer.from('a'));
    queue.drain();

    expect(parsed).toEqual(['a']);
  });
});
