/**
 * Generated hostile inputs for the API (fast-check, seeded): masks and usernames with
 * control bytes, TABs, line ends, 0x01, long strings, invalid UTF-8 percent-encodings, lone
 * surrogates and path tricks, each turned into one request with what it must cause: its
 * status, and the one replicator command it may send (or none).
 */
import fc from 'fast-check';

export type Route = 'search' | 'user' | 'remove' | 'replicate-invalid' | 'replicate-junk';

export interface HostileCase {
  route: Route;
  method: 'GET' | 'DELETE' | 'POST';
  /** The raw request path, sent as is (no normalisation by a client library). */
  path: string;
  body?: Buffer;
  contentType?: string;
  /** The statuses this request may answer with. */
  statuses: number[];
  /** The replicator command it causes when it is valid; null when it must cause none. */
  command: 'STATUS' | 'REMOVE' | 'REPLICATE' | null;
  /** The text the case was made of, for the failure report. */
  text: string;
}

/** Prefix of every user the tests create on purpose; they are removed afterwards. */
export const JUNK_PREFIX = 'reliability-junk-';

const BASE = '/api/v1/replicators/default';
const MAX_BYTES = 1024;

/** Pieces that are known to trouble parsers, escapers and routers. */
const NASTY = ['\0', '\x01', '\x01n', '\t', '\n', '\r', '\r\n', '\x7f', '\x1b', '\x08', ' ',
  '*', '?', '/', '\\', '.', '..', '../', '..\\', '%', '%2F', '%00', '%252F', '+', '&', '=',
  '#', '"', "'", '<', '>', '`', '\u00e9', '\u00fc', '\u{1F600}', '\u200b', '\ufeff', '\ufffd',
  '\nREMOVE\tuser001@example.net\n', '\tf\tuser001@example.net', 'STATUS', '@example.net'];

/** Percent-sequences that are not valid UTF-8 or not valid percent-encoding at all. */
const BAD_PERCENT = ['%', '%Z1', '%2', '%%', '%u0041', '%E0%A4', '%C3%28', '%FF', '%80', '%C0%AF',
  '%ED%A0%80', '%F4%90%80%80', '%F8%88%80%80%80', '%C0%AE%C0%AE'];

const nastyText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...NASTY), maxLength: 12 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x1f })
    .map((code) => String.fromCharCode(code)), maxLength: 20 }) },
  { weight: 1, arbitrary: longText() },
);

/** Around the 1024-byte limit, in one-byte and in multi-byte characters. */
function longText() {
  return fc.oneof(
    fc.integer({ min: 1000, max: 1100 }).map((n) => 'a'.repeat(n)),
    fc.integer({ min: 505, max: 520 }).map((n) => '\u00e9'.repeat(n)),
    fc.integer({ min: 250, max: 260 }).map((n) => '\u{1F600}'.repeat(n)),
    fc.integer({ min: 1020, max: 3000 }).map((n) => '*'.repeat(n)),
  );
}

/** Whether the API must accept `text` as a mask or username (the schema's rules). */
export function acceptable(text: string): boolean {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes >= 1 && bytes <= MAX_BYTES && !text.includes('\0') && wellFormed(text);
}

/** No lone surrogate (String#isWellFormed, which this project's ES2023 lib lacks). */
function wellFormed(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

interface Encoded {
  /** The text the server must decode, or the generated one when it must refuse. */
  text: string;
  raw: string;
  valid: boolean;
}

/** `text` percent-encoded, sometimes with an invalid percent-sequence put in. */
const encoded = fc.record({
  text: nastyText,
  bad: fc.oneof(
    { weight: 7, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.record({ at: fc.nat(), seq: fc.constantFrom(...BAD_PERCENT) }) },
  ),
}).map(({ text, bad }): Encoded => {
  const clean = wellFormed(text) ? encodeURIComponent(text) : rawUtf8Escape(text);
  const raw = bad === null ? clean : insertAt(clean, bad.at, bad.seq);
  const decoded = strictPercentDecode(raw);
  return { text: decoded ?? text, raw, valid: decoded !== null && acceptable(decoded) };
});

/** Puts `seq` into `clean` at about `at`, never inside one of its %XX escapes. */
function insertAt(clean: string, at: number, seq: string): string {
  let where = at % (clean.length + 1);
  if (clean[where - 1] === '%') where -= 1;
  else if (clean[where - 2] === '%') where -= 2;
  return clean.slice(0, where) + seq + clean.slice(where);
}

/**
 * The oracle's own percent-decoding, independent of the server's: a bad escape or bytes
 * that are not UTF-8 (overlong, surrogates, past U+10FFFF) give null.
 */
export function strictPercentDecode(raw: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '%') {
      bytes.push(...Buffer.from(raw[i]!, 'utf8'));
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  try {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return strict.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/** A lone surrogate encoded as the bytes of its code unit (CESU-8): invalid UTF-8. */
function rawUtf8Escape(text: string): string {
  return [...text].map((char) => {
    const code = char.charCodeAt(0);
    if (code < 0xd800 || code > 0xdfff || char.length > 1) return encodeURIComponent(char);
    const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  }).join('');
}

type GetRoute = 'search' | 'user' | 'remove';

function getCase(route: GetRoute, e: Encoded): HostileCase {
  const method = route === 'remove' ? 'DELETE' : 'GET';
  if (route === 'search') {
    return { route, method, path: `${BASE}/users?mask=${e.raw}&limit=1`, text: e.text,
      statuses: e.valid ? [200] : [400], command: e.valid ? 'STATUS' : null };
  }
  // In a path, a segment `.` or `..` (even as %2E%2E) is a dot-segment for every URL parser
  // and an empty one is a trailing slash: Next redirects them (308) to the path they stand
  // for, so they name no user and reach no user route.
  const noName = e.raw === '' || (e.valid && (e.text === '.' || e.text === '..'));
  const path = `${BASE}/users/${e.raw.replace(/\./g, '%2E')}`;
  if (noName) return { route, method, path, text: e.text, statuses: [308], command: null };
  return { route, method, path, text: e.text, statuses: e.valid ? [404] : [400],
    command: e.valid ? (route === 'remove' ? 'REMOVE' : 'STATUS') : null };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Replicate bodies that must be refused before anything reaches the replicator. */
const invalidReplicate = fc.oneof(
  nastyText.filter((text) => !acceptable(text)).map((mask) => ({ body: json({ mask }),
    statuses: [400], text: mask })),
  fc.constantFrom<{ body: Buffer; statuses: number[]; text: string; contentType?: string }>(
    { body: json({ mask: 123 }), statuses: [400], text: 'number' },
    { body: json({ mask: 'x', priority: 'sync' }), statuses: [400], text: 'priority sync' },
    { body: json({ mask: 'x', full: 'yes' }), statuses: [400], text: 'full yes' },
    { body: json({ mask: 'x', extra: 1 }), statuses: [400], text: 'extra field' },
    { body: json(['x']), statuses: [400], text: 'array' },
    { body: Buffer.from('{"mask": "x"'), statuses: [400], text: 'cut JSON' },
    { body: Buffer.from('mask=x'), statuses: [415], text: 'form',
      contentType: 'application/x-www-form-urlencoded' },
    { body: json({ mask: 'x' }), statuses: [415], text: 'text/plain', contentType: 'text/plain' },
    { body: json({ mask: 'x'.repeat(20_000) }), statuses: [413], text: 'over 16 KiB' },
    { body: Buffer.concat([Buffer.from(`{"mask":"${JUNK_PREFIX}`), Buffer.of(0xff, 0xfe),
      Buffer.from('"}')]), statuses: [400], text: 'invalid UTF-8 in the body' },
    { body: Buffer.from(`{"mask":"${JUNK_PREFIX}\\ud800"}`), statuses: [400],
      text: 'lone surrogate in the body' },
  ),
).map((c) => ({ route: 'replicate-invalid' as const, method: 'POST' as const,
  path: `${BASE}/replicate`, command: null, ...c }));

/** Valid single-user replicates of clearly-junk names: each is exactly one REPLICATE. */
const junkReplicate = fc.tuple(fc.nat(), nastyText).map(([n, text]) => {
  const mask = `${JUNK_PREFIX}${n}-${text.replace(/[*?\0]/g, '_')}`;
  return { mask, fits: acceptable(mask) };
}).filter(({ fits }) => fits).map(({ mask }) => ({
  route: 'replicate-junk' as const, method: 'POST' as const, path: `${BASE}/replicate`,
  body: json({ mask, priority: 'low' }), statuses: [200], command: 'REPLICATE' as const,
  text: mask,
}));

export interface Plan {
  /** Searches, user pages, removes of unknown names and refused replicates, shuffled. */
  reads: HostileCase[];
  /** Valid replicates of junk users, to be removed afterwards. */
  junk: HostileCase[];
}

/**
 * `count` cases (deduplicated by route and decoded text, so no two share a kept result),
 * 2% of them junk replicates. Names in `known` are never removed.
 */
export function hostilePlan(count: number, seed: number, known: ReadonlySet<string>): Plan {
  const junk = unique(fc.sample(junkReplicate, { numRuns: Math.ceil(count * 0.02), seed }));
  const routes: GetRoute[] = ['search', 'search', 'search', 'user', 'user', 'remove'];
  let reads: HostileCase[] = [hugeUrl()];
  for (let round = 1; reads.length + junk.length < count && round <= 20; round++) {
    fc.sample(encoded, { numRuns: count, seed: seed + round }).forEach((e, i) => {
      const route = routes[(i + round) % routes.length]!;
      if (route !== 'remove' || !known.has(e.text)) reads.push(getCase(route, e));
    });
    const numRuns = Math.ceil(count / 7);
    reads.push(...fc.sample(invalidReplicate, { numRuns, seed: seed + round }));
    reads = unique(reads);
  }
  return { reads: shuffle(reads.slice(0, count - junk.length), seed), junk };
}

/**
 * A request line past Node's 16 KiB header limit: Node answers 431 and closes the
 * connection, often before the client has finished sending (then the client sees a reset).
 */
function hugeUrl(): HostileCase {
  return { route: 'search', method: 'GET', path: `${BASE}/users?mask=${'*'.repeat(100_000)}`,
    text: '100,000 stars', statuses: [0, 431], command: null };
}

function unique(cases: HostileCase[]): HostileCase[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    // Valid requests of one text would share a kept search result: one of them is enough.
    const key = c.command !== null ? `${c.route}\0${c.text}`
      : `${c.method} ${c.path}\0${c.body?.toString('hex') ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function shuffle<T>(list: T[], seed: number): T[] {
  const order = fc.sample(fc.shuffledSubarray(list.map((_, i) => i), {
    minLength: list.length, maxLength: list.length }), { numRuns: 1, seed })[0]!;
  return order.map((i) => list[i]!);
}
