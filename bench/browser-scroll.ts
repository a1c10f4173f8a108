/**
 * Scrolling the users table through the whole kept result in Debian's Chromium (Playwright
 * as a library: `npx playwright install` cannot download a browser here), and what blocked
 * the page meanwhile: the browser's own long tasks (PerformanceObserver 'longtask', every
 * task over 50 ms), first while the page loads, then over far jumps and wheel scrolling.
 */
import { chromium, type Locator, type Page } from 'playwright';

/**
 * Elements are found by CSS and waited for by a small function in the page, not by role or
 * text: Playwright computes roles and names in the page's own thread, and over a table that
 * is a long task of its own, which would be counted as the page's.
 */
const BOX = '[role="region"][aria-label="Users"]';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

/** Where the box is scrolled to, as parts of its scroll range: both ends and far between. */
const JUMPS = [0.5, 1, 0.25, 0.999, 0.75, 0.001, 0.6180339, 0];
const WHEEL_TICKS = 60;
const WHEEL_PX = 240;

export interface ScrollFigures {
  /** The longest task while the page loaded and drew its first rows, in ms (0: none). */
  loadLongestMs: number;
  /** The longest task while scrolling, in ms; 0 when no task took 50 ms or more. */
  scrollLongestMs: number;
  scrollLongTasks: number;
  /** The rows the table says it holds, as its status line reads. */
  rowsShown: string;
}

export interface ScrollTarget {
  url: string;
  account: { name: string; password: string };
}

export async function measureScrolling(target: ScrollTarget): Promise<ScrollFigures> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ARGS,
  });
  try {
    const context = await browser.newContext({ baseURL: target.url,
      viewport: { width: 1400, height: 900 } });
    const signIn = await context.request.post('/api/v1/session', { data: target.account });
    if (!signIn.ok()) throw new Error(`bench sign-in: HTTP ${signIn.status()}`);

    const count = await context.request.get('/api/v1/replicators/default/users?mask=*&limit=0');
    const { total } = (await count.json()) as { total: number };

    const page = await context.newPage();
    await page.addInitScript(observeLongTasks);
    return await scrollThrough(page, total);
  } finally {
    await browser.close();
  }
}

/** Runs in the page before its own scripts: keeps every long task's duration. */
function observeLongTasks(): void {
  const tasks: number[] = [];
  (window as unknown as { longTasks: number[] }).longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function scrollThrough(page: Page, total: number): Promise<ScrollFigures> {
  await page.goto('/r/default/users?mask=*');
  const heading = `${total.toLocaleString('en')} matching users`;
  await page.waitForFunction((text) => document.body.innerText.includes(text), heading,
    { timeout: 120_000, polling: 100 });
  await rowsFilledIn(page);
  const loaded = await takeLongTasks(page);

  const box = page.locator(BOX);
  for (const part of JUMPS) {
    await box.evaluate((element, at) => {
      element.scrollTop = at * (element.scrollHeight - element.clientHeight);
    }, part);
    await rowsFilledIn(page);
  }
  await wheelScroll(page, box);
  const scrolled = await takeLongTasks(page);

  return {
    loadLongestMs: Math.max(0, ...loaded),
    scrollLongestMs: Math.max(0, ...scrolled),
    scrollLongTasks: scrolled.length,
    rowsShown: await page.getByText(/^Rows [\d,]+–[\d,]+ of /).innerText(),
  };
}

/** Wheel ticks over the middle of the list, down then up, as a person reads through it. */
async function wheelScroll(page: Page, box: Locator): Promise<void> {
  await box.evaluate((element) => {
    element.scrollTop = 0.4 * (element.scrollHeight - element.clientHeight);
  });
  await rowsFilledIn(page);
  const area = (await box.boundingBox())!;
  await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);

  for (let tick = 0; tick < WHEEL_TICKS; tick++) {
    await page.mouse.wheel(0, tick < WHEEL_TICKS / 2 ? WHEEL_PX : -WHEEL_PX);
    await nextFrame(page);
  }
  await rowsFilledIn(page);
}

/** Waits until rows are drawn and none of them is waiting for its block any more. */
async function rowsFilledIn(page: Page): Promise<void> {
  await page.waitForFunction((selector) => {
    const body = document.querySelector(`${selector} tbody`);
    return body?.querySelector('a') != null && !body.textContent!.includes('Loading');
  }, BOX, { timeout: 60_000, polling: 50 });
}

function nextFrame(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => {
    requestAnimationFrame(() => resolve());
  }));
}

/** The long tasks seen since the last call. */
function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const tasks = (window as unknown as { longTasks: number[] }).longTasks;
    return tasks.splice(0);
  });
}
