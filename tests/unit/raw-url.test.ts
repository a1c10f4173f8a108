/**
 * The address check before Next parses a request (server/http/raw-url.ts). Regression: a
 * bad percent-encoding in a user page's path answered 500, and invalid UTF-8 in a search's
 * query reached the replicator as U+FFFD.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isWellEncoded } from '@/server/http/raw-url';

const BASE = '/api/v1/replicators/default/users';

describe('isWellEncoded', () => {
  it('passes any text encoded with encodeURIComponent, in the path and in the query', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const encoded = encodeURIComponent(text);

        expect(isWellEncoded(`${BASE}/${encoded}`)).toBe(true);
        expect(isWellEncoded(`${BASE}?mask=${encoded}&limit=1`)).toBe(true);
      }),
    );
  });

  it.each([
    ['a lone %', `${BASE}?mask=%`],
    ['% and one digit', `${BASE}/a%2`],
    ['% and no hex', `${BASE}/%ZZ`],
    ['a continuation byte alone', `${BASE}/%80`],
    ['a cut two-byte sequence', `${BASE}?mask=%C3%28`],
    ['an overlong slash', `${BASE}/%C0%AF`],
    ['a UTF-16 surrogate in UTF-8', `${BASE}?mask=%ED%A0%80`],
    ['past U+10FFFF', `${BASE}?mask=%F4%90%80%80`],
    ['a raw latin1 byte', `${BASE}/j\u00fcrgen`],
  ])('refuses %s', (_what, url) => {
    expect(isWellEncoded(url)).toBe(false);
  });

  it('passes plain ASCII without looking further', () => {
    expect(isWellEncoded('/r/default/users?mask=*%40example.com')).toBe(true);
  });
});
