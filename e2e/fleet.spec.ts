/**
 * The fleet pages, against a server listing both sides of the real two-way pair: "West
 * (HTTP API)" (the primary, through the doveadm HTTP API) and "East" (the replica's own
 * replicator), declared as the pair "West ⇄ East".
 */
import { expect, test } from './support/fixtures';

test('the fleet overview shows every replicator side by side, with totals', async ({ page }) => {
  await page.goto('/');

  await expect(page).toHaveURL(/\/fleet$/);
  const table = page.getByRole('table', { name: 'Replicators' });
  const west = table.getByRole('row', { name: /West \(HTTP API\)/ });
  const east = table.getByRole('row', { name: /East/ }).filter({ hasNotText: 'West' });
  await expect(west).toContainText('answering');
  await expect(east).toContainText('answering');
  await expect(table.getByRole('row', { name: /^Total/ })).toContainText('of 2 answering');
  await expect(page.getByRole('link', { name: 'West ⇄ East' })).toBeVisible();
});

test('the switcher moves a search to another replicator, keeping the mask', async ({ page }) => {
  await page.goto('/r/west/users?mask=alice%40example.com');
  await expect(page.getByRole('link', { name: 'alice@example.com' })).toBeVisible();

  await page.getByRole('combobox', { name: 'Replicator' }).selectOption({ label: 'East' });

  await expect(page).toHaveURL(/\/r\/east\/users\?mask=alice%40example\.com$/);
  await expect(page.getByRole('link', { name: 'alice@example.com' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Replicator' })
    .selectOption({ label: 'All replicators' });
  await expect(page).toHaveURL(/\/fleet$/);
});

test('a search over all replicators merges them, the replicator as a column', async ({ page }) => {
  await page.goto('/fleet/users');

  await page.getByLabel('User mask').fill('bob@example.com');
  await page.getByRole('button', { name: 'Search' }).click();

  const table = page.getByRole('table', { name: 'Users on all replicators' });
  const rows = table.getByRole('row').filter({ hasText: 'bob@example.com' });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('East');
  await expect(rows.nth(1)).toContainText('West (HTTP API)');
  // The doveadm HTTP API does not tell the next sync: unknown, not a guess.
  await expect(rows.nth(1).getByText('unknown')).toBeVisible();
});

test("a user's page in a pair shows both sides' sync times", async ({ page }) => {
  await page.goto('/r/west/users/alice%40example.com');

  const sides = page.getByRole('table', { name: /alice@example.com on both sides/ });
  await expect(sides.getByRole('columnheader', { name: 'West (HTTP API)' })).toBeVisible();
  await expect(sides.getByRole('columnheader', { name: 'East' })).toBeVisible();
  await expect(sides.getByRole('row', { name: /Last successful sync/ })).toBeVisible();
  await expect(page.getByText('unknown: the doveadm HTTP API does not tell')).toBeVisible();
});
