import { expect, test } from './support/fixtures';

/**
 * An operator queues a whole domain for a full resync and watches the job reach 100 %,
 * live, on the page where it was started.
 */
test('a full resync of a domain shows its job reaching 100 %', async ({ page }) => {
  await page.goto('/r/default/users?mask=*%40example.com');
  await expect(page.getByRole('link', { name: 'alice@example.com' })).toBeVisible();

  await page.getByLabel('Priority').selectOption('high');
  await page.getByLabel('Full sync').check();
  await page.getByRole('button', { name: 'Replicate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();

  const progress = page.getByRole('progressbar', { name: 'Job progress' });
  await expect(page.getByText('28 users queued')).toBeVisible();
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
  await expect(page.getByRole('list', { name: 'Job counts' })).toContainText('28 done');
});
