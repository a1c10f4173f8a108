/**
 * One real page in Debian's Chromium (Playwright as a library), signed in with the run's
 * session cookie: what an operator sees, and every Content-Security-Policy complaint the
 * browser makes while showing it.
 */
import { chromium, type Browser, type Page } from 'playwright';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface DashboardPage {
  page: Page;
  /** Console messages and page errors that mention the Content Security Policy. */
  cspViolations: string[];
  /** Text of the replicator status on the page (role=status). */
  statusText(): Promise<string>;
  close(): Promise<void>;
}

/** Opens `path` of the dashboard at `url`, signed in with `cookie` (`name=value`). */
export async function openPage(url: string, cookie: string, path: string): Promise<DashboardPage> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ARGS,
  });
  const context = await browser.newContext();
  if (cookie !== '') {
    const [name, ...value] = cookie.split('=');
    await context.addCookies([{ name: name!, value: value.join('='), url }]);
  }
  const page = await context.newPage();
  const cspViolations: string[] = [];
  const note = (text: string) => {
    if (/content security policy/i.test(text)) cspViolations.push(text);
  };
  page.on('console', (message) => note(message.text()));
  page.on('pageerror', (error) => note(error.message));
  await page.goto(`${url}${path}`);

  return {
    page,
    cspViolations,
    statusText: () => page.getByRole('status').first().innerText(),
    close: () => browser.close(),
  };
}
