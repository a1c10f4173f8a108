import { describe, expect, it } from 'vitest';

import { addressesFor, withoutAddresses } from '../../server/auth/addresses';
import type { Replicator } from '../../server/replicators';

const replicators = [
  { id: 'mx1', name: 'Backend 1', address: '/run/dovecot/replicator-doveadm' },
  { id: 'mx2', name: 'mx2', address: '10.0.0.2:4242' },
] as unknown as Replicator[];

const state = {
  id: 'mx1',
  connected: false,
  error: { code: 'no_such_socket', message: '/run/dovecot/replicator-doveadm: no such socket',
    hint: 'or 10.0.0.2:4242, twice: 10.0.0.2:4242' },
  at: new Date(0),
};

describe('replicator addresses', () => {
  it('replaces every address in every string, deep, and leaves the rest alone', () => {
    const shown = withoutAddresses({ list: [state], n: 3 }, replicators);

    expect(shown).toEqual({ n: 3, list: [{
      ...state,
      error: { code: 'no_such_socket',
        message: '<address of Backend 1>: no such socket',
        hint: 'or <address of mx2>, twice: <address of mx2>' },
    }] });
    expect(state.error.message).toContain('/run/dovecot');
  });

  it('shows them to an operator only, never to nobody', () => {
    const operator = { name: 'o', role: 'operator' as const, domains: null };
    const helpdesk = { name: 'h', role: 'helpdesk' as const, domains: null };

    expect(addressesFor(operator, state, replicators)).toBe(state);
    expect(JSON.stringify(addressesFor(helpdesk, state, replicators))).not.toContain('/run/');
    expect(JSON.stringify(addressesFor(null, state, replicators))).not.toContain('/run/');
  });
});
