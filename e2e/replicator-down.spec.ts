import { expect, test } from './support/fixtures';
import { pair } from './support/pair';

/**
 * A search asked for again while the replicator is stopped: the rows of the search before
 * stay, and the page says they are not from now. The pair is started again at the end, and
 * the test waits until the dashboard answers from it, for the tests after it.
 */
test('searching again while the replicator is stopped says the rows are not new', async ({
  page,
  request,
}) => {
  await page.goto('/r/default/users?mask=big*');
  const table = page.getByRole('table', { name: 'Users matching the mask' });
  await expect(table.getByRole('link', { name: 'big1@example.com' })).toBeVisible();

  pair('stop');
  try {
    await page.getByRole('button', { name: 'Search' }).click();

    await expect(page.getByText(/^Searching again failed/)).toBeVisible();
    await expect(table.getByRole('link', { name: 'big1@example.com' })).toBeVisible();
  } finally {
    pair('start');
  }
  await expect.poll(async () => (await request.get(
    '/api/v1/replicators/default/overview')).status(), { timeout: 20_000 }).toBe(200);
});
