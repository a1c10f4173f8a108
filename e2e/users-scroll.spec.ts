import type { APIRequestContext } from '@playwright/test';

import { expect, test } from './support/fixtures';

/**
 * The users table draws only the rows on screen, however long the list; the demo's 200 users
 * are several screenfuls. Expected counts and names come from the API, as a script sees them.
 */
const USERS = '/api/v1/replicators/default/users?mask=*';

async function lastUser(api: APIRequestContext): Promise<{ total: number; username: string }> {
  const response = await api.get(`${USERS}&order=desc&limit=1`);
  const { total, users } = (await response.json()) as {
    total: number;
    users: { username: string }[];
  };
  return { total, username: users[0]?.username ?? '' };
}

async function countOf(api: APIRequestContext, filter: string): Promise<number> {
  const response = await api.get(`${USERS}&limit=0&${filter}`);
  return ((await response.json()) as { total: number }).total;
}

test('only a window of rows is drawn, and the last user is one scroll away', async ({
  page,
  request,
}) => {
  const { total, username } = await lastUser(request);

  await page.goto('/r/default/users?mask=*');

  await expect(page.getByRole('heading', { name: `${total} matching users` })).toBeVisible();
  const table = page.getByRole('table', { name: 'Users matching the mask' });
  await expect(table.getByRole('link').first()).toBeVisible();
  await expect(page.getByText(new RegExp(`^Rows 1–\\d+ of ${total}$`))).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeLessThan(total);
  await expect(table.getByRole('link', { name: username })).toHaveCount(0);

  await page.getByRole('region', { name: 'Users' }).press('End');

  await expect(table.getByRole('link', { name: username })).toBeVisible();
  await expect(page.getByText(new RegExp(`^Rows \\d+–${total} of ${total}$`))).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeLessThan(total);
});

test('a filter goes into the URL and narrows the list', async ({ page, request }) => {
  const week = 7 * 24 * 3600;
  const stale = await countOf(request, `staleSeconds=${week}`);

  await page.goto('/r/default/users?mask=*');
  await page.getByLabel('Not synced for more than').selectOption('7 days');

  await expect(page).toHaveURL(new RegExp(`staleSeconds=${week}`));
  const heading = `${stale} matching ${stale === 1 ? 'user' : 'users'}`;
  await expect(page.getByRole('heading', { name: heading })).toBeVisible();

  await page.getByLabel('Failed only').check();
  await expect(page).toHaveURL(/failed=true/);
  await page.goBack();
  await expect(page.getByLabel('Failed only')).not.toBeChecked();
});

test("a user's page leads back to the list it came from, search and sort kept", async ({
  page,
}) => {
  await page.goto('/r/default/users?mask=user00%3F%40example.net&order=desc');
  await page.getByRole('link', { name: 'user009@example.net' }).click();
  await expect(page).toHaveURL(/\/users\/user009%40example\.net$/);

  await page.getByRole('link', { name: '← Users' }).click();

  await expect(page).toHaveURL(/mask=user00%3F%40example\.net&order=desc$/);
  await expect(page.getByLabel('User mask')).toHaveValue('user00?@example.net');
});
