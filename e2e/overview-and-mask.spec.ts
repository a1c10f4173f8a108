import { expect, test } from './support/fixtures';

test('the overview shows the seven queue counters and the dsync slots', async ({ page }) => {
  await page.goto('/');

  await expect(page.getByRole('status')).toContainText('connected');
  const counters = page.getByRole('list', { name: 'Queue counters' }).getByRole('listitem');
  await expect(counters).toHaveCount(7);
  await expect(page.getByText('Total users')).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();
});

test('a wildcard replicate says how many users it matches and asks first', async ({ page }) => {
  await page.goto('/r/default/users?mask=user00%3F%40example.net');
  await expect(page.getByRole('link', { name: 'user009@example.net' })).toBeVisible();

  await page.getByLabel('Priority').selectOption('low');
  await page.getByRole('button', { name: 'Replicate' }).click();

  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('This mask matches 9 known users');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('9 users queued')).toBeVisible();
});
