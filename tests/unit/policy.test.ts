import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decide,
  domainOf,
  inDomains,
  isOneUser,
  maskWithinDomains,
  replicatePermission,
  ROLES,
  roleAllows,
  seesUser,
  type Permission,
  type Principal,
  type Role,
} from '@/server/auth/policy';

const PERMISSIONS: Permission[] = [
  'read', 'replicate-user', 'replicate-mask', 'add', 'remove', 'audit-all',
];

/** The table, written out again by hand. */
const EXPECTED: Record<Role, Permission[]> = {
  viewer: ['read'],
  helpdesk: ['read', 'replicate-user'],
  operator: PERMISSIONS,
};

const netDesk: Principal = { name: 'desk', role: 'helpdesk', domains: ['example.net'] };

describe('the role table', () => {
  it.each(ROLES.flatMap((role) => PERMISSIONS.map((p) => [role, p] as const)))(
    '%s / %s is as the issue says',
    (role, permission) => {
      expect(roleAllows(role, permission)).toBe(EXPECTED[role].includes(permission));
    },
  );

  it('gives a wildcard to operators only, one user to helpdesk too', () => {
    const helpdesk: Principal = { name: 'h', role: 'helpdesk', domains: null };

    expect(decide(helpdesk, replicatePermission('bob@example.com'), 'bob@example.com').ok)
      .toBe(true);
    expect(decide(helpdesk, replicatePermission('bob*@example.com')).ok).toBe(false);
    expect(decide(helpdesk, replicatePermission('b?b@example.com')).ok).toBe(false);
  });
});

describe('one user or a mask', () => {
  it.each([
    ['bob@example.com', true],
    ['*', false],
    ['?', false],
    ['bob@example.co?', false],
    ['', true],
  ])('%j is one user: %s', (mask, one) => {
    expect(isOneUser(mask)).toBe(one);
  });
});

describe('domains', () => {
  it('takes the text after the last @, ASCII-lowercased only', () => {
    expect(domainOf('a@b@Example.NET')).toBe('example.net');
    expect(domainOf('nobody')).toBeNull();
    // The Kelvin sign lowercases to "k" in Unicode; it must not become another domain.
    expect(domainOf('x@example.\u212Aom')).toBe('example.\u212Aom');
  });

  it.each(['*', '*@*', '?*', '*@example.co?', '*@example.ne*', 'x@*.net', '*example.net',
    '*@example.net*', '*@*example.net', 'bob@example.com', '*@example.org', 'bob'])(
    'refuses %j to an account limited to example.net',
    (mask) => {
      expect(maskWithinDomains(netDesk, mask)).toBe(false);
      expect(decide(netDesk, 'replicate-user', mask).ok).toBe(false);
    },
  );

  it.each(['bob@example.net', '*@example.net', 'a?c@example.net', '*@EXAMPLE.net',
    'x@y@example.net'])(
    'lets an account limited to example.net touch %j',
    (mask) => {
      expect(maskWithinDomains(netDesk, mask)).toBe(true);
    },
  );

  it('sees only its domains\' users; an unlimited account sees all', () => {
    expect(seesUser(netDesk, 'bob@example.net')).toBe(true);
    expect(seesUser(netDesk, 'bob@example.com')).toBe(false);
    expect(seesUser(netDesk, 'example.net')).toBe(false);
    expect(seesUser({ ...netDesk, domains: null }, 'anything')).toBe(true);
  });
});

/** Dovecot's matching: `*` any run, `?` one character (the alphabet here is ASCII). */
function matches(mask: string, name: string): boolean {
  const pattern = mask.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${pattern}$`).test(name);
}

const letter = fc.constantFrom('a', 'b', '.', '@', 'N', 'e', 't');
const text = fc.array(letter, { maxLength: 6 }).map((chars) => chars.join(''));
const maskPart = fc.oneof(text, fc.constant('*'), fc.constant('?'));
const mask = fc.array(maskPart, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
const fills = fc.array(text, { minLength: 1, maxLength: 4 });
const domains = fc.uniqueArray(fc.constantFrom('a.b', 'b', 'net', 'ab', 'a'), {
  minLength: 1, maxLength: 3,
});

/** A user the mask matches: each wildcard replaced by text. */
function instance(m: string, fills: string[]): string {
  let i = 0;
  return m.replace(/[*?]/g, (w) => {
    const fill = fills[i++ % fills.length] ?? '';
    return w === '?' ? (fill[0] ?? 'a') : fill;
  });
}

describe('properties', () => {
  it('a mask within the domains matches no user of another domain', () => {
    fc.assert(
      fc.property(mask, domains, fills, (m, d, f) => {
        const who: Principal = { name: 'x', role: 'helpdesk', domains: d };
        const user = instance(m, f);
        expect(matches(m, user)).toBe(true);
        if (maskWithinDomains(who, m)) expect(inDomains(user, d)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('every role may do at least what the role below it may', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PERMISSIONS), (permission) => {
        if (roleAllows('viewer', permission)) {
          expect(roleAllows('helpdesk', permission)).toBe(true);
        }
        if (roleAllows('helpdesk', permission)) {
          expect(roleAllows('operator', permission)).toBe(true);
        }
      }),
    );
  });

  it('an unlimited account may touch any mask its role allows', () => {
    fc.assert(
      fc.property(mask, fc.constantFrom(...ROLES), (m, role) => {
        const who: Principal = { name: 'x', role, domains: null };
        const permission = replicatePermission(m);
        expect(decide(who, permission, m).ok).toBe(roleAllows(role, permission));
      }),
    );
  });

  it('replicating needs replicate-user exactly when the mask is one user', () => {
    fc.assert(
      fc.property(mask, (m) => {
        const one = !m.includes('*') && !m.includes('?');
        expect(replicatePermission(m)).toBe(one ? 'replicate-user' : 'replicate-mask');
      }),
    );
  });
});
