import { accountFor } from './support/accounts';
import { expect, test } from './support/fixtures';

/** One named user (the ticket's), and a mask that matches several. */
const USER = 'carol@example.com';
const USER_PAGE = `/r/default/users/${encodeURIComponent(USER)}`;

test.describe('helpdesk', () => {
  test.use({ role: 'none' });

  test('signs in, resyncs one user, and finds no wildcard action', async ({ page }) => {
    const { name, password } = accountFor('helpdesk');

    // The ticket's link leads to the login page first, then back to the user.
    await page.goto(USER_PAGE);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(USER_PAGE.replace('@', '%40'));
    await expect(page.getByRole('banner')).toContainText(`${name} · helpdesk`);

    await page.getByLabel('Priority').selectOption('high');
    await page.getByRole('button', { name: 'Replicate' }).click();
    await expect(page.getByText(/1 user queued/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Remove' })).toHaveCount(0);

    await page.goto('/r/default/users?mask=*%40example.com');
    await expect(page.getByRole('link', { name: USER })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Replicate' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add' })).toHaveCount(0);
  });
});

test.describe('viewer', () => {
  test.use({ role: 'viewer' });

  test('sees the user but no action at all', async ({ page }) => {
    await page.goto(USER_PAGE);

    await expect(page.getByRole('heading', { name: USER })).toBeVisible();
    await expect(page.getByText('Last full sync')).toBeVisible();
    await expect(page.getByRole('button', { name: /Replicate|Remove|Add/ })).toHaveCount(0);
  });
});

test.describe('signing out', () => {
  test.use({ role: 'operator' });

  test('ends the session and leads back to the login page', async ({ page }) => {
    await page.goto('/r/default');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/r/default/users');
    await expect(page).toHaveURL(/\/login\?next=/);
  });
});

test.describe('audit trail', () => {
  test.use({ role: 'operator' });

  test('lists the newest rows first and exports them as CSV', async ({ page, request }) => {
    await request.post('/api/v1/replicators/default/replicate', {
      data: { mask: USER, priority: 'low' },
    });

    await page.goto('/r/default/audit?action=replicate');

    const rows = page.getByRole('table', { name: 'Audit trail' }).getByRole('row');
    await expect(rows.nth(1)).toContainText(USER);
    await expect(rows.nth(1)).toContainText('e2e-operator');
    const csv = await page.request.get(
      await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href') ?? '');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[1]).toContain(USER);
  });
});
