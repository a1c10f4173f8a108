/**
 * The one check of a request's address before Next.js parses it. Next decodes the dynamic
 * segments of the path and re-serialises the query: a bad percent-encoding in the path made
 * it answer 500, and invalid UTF-8 in the query turned into U+FFFD, so a search asked the
 * replicator for other text than the one typed. Such an address is refused here, with 400.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Percent-escapes and raw bytes that only a well-formed UTF-8 address may hold. */
const NEEDS_A_LOOK = /[%\u0080-\u00ff]/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Whether every `%` starts a two-digit escape and the address' bytes, once decoded, are
 * UTF-8. Node hands the request line over as latin1, one char per byte.
 */
export function isWellEncoded(url: string): boolean {
  if (!NEEDS_A_LOOK.test(url)) return true;

  const bytes = Buffer.allocUnsafe(url.length);
  let length = 0;
  for (let i = 0; i < url.length; i++) {
    if (url[i] !== '%') {
      bytes[length++] = url.charCodeAt(i) & 0xff;
      continue;
    }
    const hex = url.slice(i + 1, i + 3);
    if (!HEX_PAIR.test(hex)) return false;
    bytes[length++] = parseInt(hex, 16);
    i += 2;
  }
  return isUtf8(bytes.subarray(0, length));
}

/** Answers 400 for an address that is not well encoded; true when it did. */
export function refuseMalformedUrl(request: IncomingMessage, response: ServerResponse): boolean {
  if (isWellEncoded(request.url ?? '/')) return false;

  const message = 'the address holds a bad percent-encoding or invalid UTF-8';
  response.writeHead(400, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(JSON.stringify({ error: { code: 'bad_request', message } }));
  return true;
}
