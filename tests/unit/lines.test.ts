import { describe, expect, it } from 'vitest';

import { LineSplitter } from '@/server/replicator/lines';

/** Pushes the chunks through one splitter; returns the lines as text. */
function linesOf(...chunks: string[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) {
    splitter.push(Buffer.from(chunk), (bytes, start, end) =>
      lines.push(bytes.toString('utf8', start, end)) > 0);
  }
  return lines;
}

describe('LineSplitter', () => {
  it('hands out each line of a chunk without its LF', () => {
    expect(linesOf('a\tb\nc\n')).toEqual(['a\tb', 'c']);
  });

  it('hands out an empty line', () => {
    expect(linesOf('a\n\nb\n')).toEqual(['a', '', 'b']);
  });

  it('joins a line cut across chunks', () => {
    expect(linesOf('STA', 'TUS', '\tbob\n')).toEqual(['STATUS\tbob']);
  });

  it('holds back bytes after the last LF', () => {
    const splitter = new LineSplitter();

    splitter.push(Buffer.from('a\nbcd'), () => true);

    expect(splitter.pendingBytes).toBe(3);
  });

  it('stops handing out lines when the listener returns false', () => {
    const splitter = new LineSplitter();
    const seen: string[] = [];

    splitter.push(Buffer.from('a\nb\nc\n'), (bytes, start, end) =>
      seen.push(bytes.toString('utf8', start, end)) < 2);

    expect(seen).toEqual(['a', 'b']);
  });

  it('forgets a partial line on reset', () => {
    const splitter = new LineSplitter();
    const seen: string[] = [];
    splitter.push(Buffer.from('stale'), () => true);

    splitter.reset();
    splitter.push(Buffer.from('fresh\n'), (bytes, start, end) =>
      seen.push(bytes.toString('utf8', start, end)) > 0);

    expect(seen).toEqual(['fresh']);
  });
});
