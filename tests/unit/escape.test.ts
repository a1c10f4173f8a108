import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  encodeCommand,
  escapeField,
  splitFields,
  unescapeField,
} from '@/server/replicator/escape';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

const SPECIALS = [
  { name: 'NUL', raw: 0x00, escaped: '\x010' },
  { name: '0x01', raw: 0x01, escaped: '\x011' },
  { name: 'TAB', raw: 0x09, escaped: '\x01t' },
  { name: 'CR', raw: 0x0d, escaped: '\x01r' },
  { name: 'LF', raw: 0x0a, escaped: '\x01n' },
];

/** Bytes with the five special ones much more likely than chance would make them. */
const byteArrays = fc
  .array(fc.oneof(fc.constantFrom(0x00, 0x01, 0x09, 0x0a, 0x0d), fc.integer({ min: 0, max: 255 })))
  .map((list) => Uint8Array.from(list));

/** Any code point, with the special ones much more likely than chance would make them. */
const fieldStrings = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\0', '\x01', '\t', '\r', '\n', 'ü', '*'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

const COMMANDS = ['STATUS', 'STATUS-DSYNC', 'REPLICATE', 'ADD', 'REMOVE'];

function count(buffer: Buffer, byte: number): number {
  return buffer.filter((b) => b === byte).length;
}

describe('escapeField', () => {
  it.each(SPECIALS)('escapes $name as 0x01 and a letter', ({ raw, escaped }) => {
    const field = Buffer.of(0x61, raw, 0x62);

    const out = escapeField(field);

    expect(out).toEqual(bytes(`a${escaped}b`));
  });

  it('leaves UTF-8 bytes alone', () => {
    const field = bytes('jürgen@example.net');

    const out = escapeField(field);

    expect(out).toEqual(field);
  });

  it('escapes an empty field to nothing', () => {
    expect(escapeField(Buffer.alloc(0))).toHaveLength(0);
  });

  it('round-trips any bytes through unescapeField', () => {
    fc.assert(
      fc.property(byteArrays, (field) => {
        expect(unescapeField(escapeField(field))).toEqual(Buffer.from(field));
      }),
    );
  });

  it('never leaves a TAB, LF, CR or NUL in the output', () => {
    fc.assert(
      fc.property(byteArrays, (field) => {
        const out = escapeField(field);

        expect([0x09, 0x0a, 0x0d, 0x00].filter((byte) => out.includes(byte))).toEqual([]);
      }),
    );
  });
});

describe('unescapeField', () => {
  it.each(SPECIALS)('turns 0x01 and its letter back into $name', ({ raw, escaped }) => {
    const field = bytes(`a${escaped}b`);

    const out = unescapeField(field);

    expect(out).toEqual(Buffer.of(0x61, raw, 0x62));
  });

  it('lets an unknown letter after 0x01 stand for itself', () => {
    const field = bytes('a\x01xb\x01\x01c');

    const out = unescapeField(field);

    expect(out).toEqual(bytes('axb\x01c'));
  });

  it('drops a lone 0x01 at the end', () => {
    const field = bytes('ab\x01');

    const out = unescapeField(field);

    expect(out).toEqual(bytes('ab'));
  });

  it('keeps UTF-8 bytes next to an escape', () => {
    const field = bytes('jü\x01trgen');

    const out = unescapeField(field);

    expect(out.toString('utf8')).toBe('jü\trgen');
  });
});

describe('encodeCommand', () => {
  it('sends a bare command as its name and LF', () => {
    expect(encodeCommand('STATUS').toString()).toBe('STATUS\n');
  });

  it('separates arguments by TAB and keeps an empty one', () => {
    const line = encodeCommand('REPLICATE', ['high', '', 'bob@example.com']);

    expect(line.toString()).toBe('REPLICATE\thigh\t\tbob@example.com\n');
  });

  it('sends UTF-8 arguments as UTF-8', () => {
    const line = encodeCommand('STATUS', ['jürgen*']);

    expect(line).toEqual(bytes('STATUS\tjürgen*\n'));
  });

  it('keeps a mask that tries to smuggle a second command on one line', () => {
    const line = encodeCommand('STATUS', ['x\nREMOVE\tbob@example.com']);

    expect(line.toString()).toBe('STATUS\tx\x01nREMOVE\x01tbob@example.com\n');
  });

  it('makes one line with one TAB per argument, whatever the arguments', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.array(fieldStrings), (name, args) => {
        const line = encodeCommand(name, args);

        expect(count(line, 0x0a)).toBe(1);
        expect(line.at(-1)).toBe(0x0a);
        expect(count(line, 0x09)).toBe(args.length);
      }),
    );
  });

  it('gives back its arguments through splitFields', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.array(fieldStrings), (name, args) => {
        const line = encodeCommand(name, args);

        expect(splitFields(line.subarray(0, -1))).toEqual([name, ...args]);
      }),
    );
  });
});

describe('splitFields', () => {
  it('splits at TAB', () => {
    expect(splitFields(bytes('bob\tnone\t0'))).toEqual(['bob', 'none', '0']);
  });

  it('reads an empty line as one empty field', () => {
    expect(splitFields(Buffer.alloc(0))).toEqual(['']);
  });

  it('keeps empty fields at the start and the end', () => {
    expect(splitFields(bytes('\t-\t'))).toEqual(['', '-', '']);
  });

  it('unescapes each field after splitting', () => {
    const line = bytes('we\x01tird\x01n\x011\tnone');

    const fields = splitFields(line);

    expect(fields).toEqual(['we\tird\n\x01', 'none']);
  });

  it('decodes UTF-8', () => {
    expect(splitFields(bytes('jürgen@example.net\tlow'))).toEqual(['jürgen@example.net', 'low']);
  });
});
