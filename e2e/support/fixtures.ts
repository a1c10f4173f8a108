/**
 * `test` for the browser tests, signed in through the API before the page opens (the login
 * page has a test of its own). `role` picks the account; 'none' leaves the browser signed
 * out. The `request` fixture speaks to the API as a script does, with Basic auth.
 */
import { test as base, expect, type APIRequestContext } from '@playwright/test';

import { accountFor, type Role } from './accounts';

export { expect };

export const test = base.extend<{ role: Role | 'none' }>({
  role: ['operator', { option: true }],

  context: async ({ context, role }, use) => {
    if (role !== 'none') await signInThrough(context.request, role);
    await use(context);
  },

  request: async ({ playwright, baseURL }, use) => {
    const { name, password } = accountFor('operator');
    const api = await playwright.request.newContext({
      baseURL,
      httpCredentials: { username: name, password, send: 'always' },
    });
    await use(api);
    await api.dispose();
  },
});

/** Signs in; the context's cookies then carry the session for its pages too. */
async function signInThrough(api: APIRequestContext, role: Role): Promise<void> {
  const { name, password } = accountFor(role);
  const response = await api.post('/api/v1/session', { data: { name, password } });
  expect(response.status(), `sign-in as ${name}`).toBe(200);
}
