/**
 * Dovecot's tab-escaping, at the byte level. Fields on the replicator's doveadm protocol are
 * separated by TAB and lines end with LF, so every field sent must have its TAB, CR, LF and
 * 0x01 bytes (and NUL, which the C side cannot carry raw) replaced by 0x01 plus a letter.
 * Without it a mask could smuggle a second command onto the connection.
 */

const ESCAPE = 0x01;

const ESCAPED_AS: ReadonlyMap<number, number> = new Map([
  [0x00, 0x30], // '0'
  [0x01, 0x31], // '1'
  [0x09, 0x74], // 't'
  [0x0d, 0x72], // 'r'
  [0x0a, 0x6e], // 'n'
]);

const UNESCAPED_FROM: ReadonlyMap<number, number> = new Map(
  [...ESCAPED_AS].map(([raw, letter]) => [letter, raw]),
);

/** Escapes one field for sending. */
export function escapeField(field: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(field.length * 2);
  let length = 0;

  for (const byte of field) {
    const letter = ESCAPED_AS.get(byte);
    if (letter === undefined) {
      out[length++] = byte;
    } else {
      out[length++] = ESCAPE;
      out[length++] = letter;
    }
  }
  return out.subarray(0, length);
}

/**
 * Unescapes one field read from the replicator. As Dovecot does, an unknown letter after
 * 0x01 stands for itself and a lone 0x01 at the end is dropped.
 */
export function unescapeField(field: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(field.length);
  let length = 0;

  for (let i = 0; i < field.length; i++) {
    const byte = field[i]!;
    if (byte !== ESCAPE) {
      out[length++] = byte;
      continue;
    }
    i++;
    if (i >= field.length) break;
    const letter = field[i]!;
    out[length++] = UNESCAPED_FROM.get(letter) ?? letter;
  }
  return out.subarray(0, length);
}

/** Builds one command line: each argument escaped, TAB-separated, LF-terminated. */
export function encodeCommand(name: string, args: readonly string[] = []): Buffer {
  const parts: Buffer[] = [Buffer.from(name, 'utf8')];

  for (const arg of args) {
    parts.push(Buffer.of(0x09), escapeField(Buffer.from(arg, 'utf8')));
  }
  parts.push(Buffer.of(0x0a));
  return Buffer.concat(parts);
}

/** Splits one received line (without its LF) into unescaped UTF-8 fields. */
export function splitFields(line: Uint8Array): string[] {
  const fields: string[] = [];
  let start = 0;

  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === 0x09) {
      fields.push(decodeField(line.subarray(start, i)));
      start = i + 1;
    }
  }
  return fields;
}

/** Unescapes one raw field and decodes it as UTF-8. */
export function decodeField(raw: Uint8Array): string {
  const needsUnescape = raw.includes(ESCAPE);
  const bytes = needsUnescape ? unescapeField(raw) : raw;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
