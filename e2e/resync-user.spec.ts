import { expect, test } from './support/fixtures';

import { breakReplicaHome, repairReplicaHome, replicate, userDetail } from './support/pair';

/**
 * The helpdesk case: a customer's replica is broken, the replicator marks the user failed,
 * and a full high-priority resync from the dashboard copies the mailbox again, live.
 */
const USER = 'big3@example.org';

test.beforeEach(async ({ request }) => {
  // A fresh pair syncs every user once at start; wait until this one's first sync is over.
  await expect.poll(async () => {
    const detail = await userDetail(request, USER);
    return detail.dsync === null && detail.user.lastSuccessfulSync !== null;
  }, { timeout: 60_000 }).toBe(true);
  // A broken home on the replica makes the next dsync fail, which drops the user's sync
  // state: once repaired, the resync below is a real copy of 3,000 messages.
  breakReplicaHome(USER);
  await replicate(request, USER, false);
  await expect.poll(async () => (await userDetail(request, USER)).user.failed, {
    timeout: 30_000,
  }).toBe(true);
  repairReplicaHome(USER);
});

test.afterEach(() => repairReplicaHome(USER));

test('resync a failed user in full and watch it finish without reloading', async ({ page }) => {
  await page.goto('/r/default/users');
  await page.getByLabel('User mask').fill('big?@example.org');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/mask=big%3F%40example\.org|mask=big\?@example\.org/);
  await page.getByRole('link', { name: USER }).click();

  const lastFullSync = page.locator('dt:text-is("Last full sync") + dd time');
  // The user's own field: the users table it came from may still be in the page a moment.
  const failed = page.locator('dt:text-is("Failed") + dd');
  await expect(failed).toHaveText('failed');
  const before = await lastFullSync.getAttribute('datetime');

  await page.getByLabel('Priority').selectOption('high');
  await page.getByLabel('Full sync').check();
  await page.getByRole('button', { name: 'Replicate' }).click();

  await expect(page.getByText(/1 user queued/)).toBeVisible();
  await expect(page.getByText(/dsync running/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('No dsync running for this user.')).toBeVisible({
    timeout: 60_000,
  });
  await expect(failed).toHaveText('no');
  await expect(lastFullSync).not.toHaveAttribute('datetime', before ?? '');
});
