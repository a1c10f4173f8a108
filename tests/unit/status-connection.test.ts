/**
 * The answer lines of a STATUS read on a connection of its own, however the socket cuts
 * them: every line handed on once, whole, in order, and the end found at the empty line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AnswerLines } from '@/server/replicator/status-connection';

/** Feeds an answer in chunks cut at `cuts`; returns the lines taken and the chunk it ended in. */
function feed(answer: Buffer, cuts: number[]) {
  const taken: string[] = [];
  const lines = new AnswerLines((bytes, start, end) => {
    expect(bytes[end - 1]).toBe(0x0a);
    taken.push(...bytes.toString('latin1', start, end - 1).split('\n'));
  });
  const points = [...new Set(cuts.map((cut) => cut % (answer.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  let endedAt = -1;
  for (const [i, to] of [...points, answer.length].entries()) {
    if (to <= from) continue;
    if (lines.push(answer.subarray(from, to))) {
      endedAt = i;
      break;
    }
    from = to;
  }
  return { taken, ended: endedAt >= 0 };
}

const line = fc.stringMatching(/^[a-z0-9@.\t]{1,40}$/);

describe('AnswerLines', () => {
  it('hands on every line once, whole and in order, and ends at the empty line', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 12 }),
      (texts, cuts) => {
        const answer = Buffer.from(`${texts.map((text) => `${text}\n`).join('')}\n`, 'latin1');

        const { taken, ended } = feed(answer, cuts);

        expect(taken).toEqual(texts);
        expect(ended).toBe(true);
      }), { numRuns: 2_000 });
  });

  it('does not end before the empty line', () => {
    const { taken, ended } = feed(Buffer.from('a\tb\nc\td\n'), [3, 4, 5]);

    expect(taken).toEqual(['a\tb', 'c\td']);
    expect(ended).toBe(false);
  });

  it('refuses a line longer than a mebibyte', () => {
    const lines = new AnswerLines(() => undefined);

    expect(() => lines.push(Buffer.alloc(1024 * 1024 + 1, 0x61))).toThrow(/longer than/);
  });
});
