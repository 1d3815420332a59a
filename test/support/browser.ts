import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/projectRoot';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Where a test's screenshot goes: `test-results/screenshots/` (ignored by git), so a test run
 * leaves the work tree clean; with NORRBUS_UPDATE_SCREENSHOTS=1, the committed ones in `docs/`.
 */
export function screenshotPath(name: string): string {
  const folder = process.env.NORRBUS_UPDATE_SCREENSHOTS === '1' ? path.join(projectRoot(), 'docs') : path.join(projectRoot(), 'test-results', 'screenshots');
  mkdirSync(folder, { recursive: true });
  return path.join(folder, name);
}
export const hasChromium = existsSync(CHROMIUM);

export interface Browser {
  page: Page;
  close(): Promise<void>;
}

/** Debian's headless Chromium with a fresh profile; only this machine's pages may load. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'norrbus-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // The Playground asks Office's CDN for fonts; there is no internet here.
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === 'localhost' || host === '127.0.0.1' ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Picks a day in an Adaptive Card Input.Date as the Playground renders it (Fluent UI DatePicker,
 * en-US): opens the calendar, steps month by month to the wanted one and clicks the day, as a
 * person would. Typing is not reliable there: the opening calendar swallows the first keystroke
 * and text that does not parse is cleared when the field loses focus. The calendar opens at the
 * browser's real month, not the bot's clock, so the number of steps varies.
 */
export async function pickDate(page: Page, input: Locator, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-').map(Number);
  const wanted = `${MONTHS[month - 1]} ${year}`;
  await input.click();
  const calendar = page.getByRole('dialog', { name: 'Calendar' });
  const heading = calendar.getByRole('button', { name: /^[A-Z][a-z]+ \d{4}$/ });
  await heading.waitFor({ timeout: 5_000 });
  for (let step = 0; ; step++) {
    const shown = ((await heading.textContent()) ?? '').trim();
    if (shown === wanted) break;
    if (step > 60) throw new Error(`the calendar did not reach ${wanted} (shows ${shown})`);
    const [shownMonth, shownYear] = shown.split(' ');
    const later = year * 12 + month - 1 > Number(shownYear) * 12 + MONTHS.indexOf(shownMonth);
    await calendar.getByRole('button', { name: later ? /^Next month/ : /^Previous month/ }).click();
    await expectText(heading, (t) => t !== shown, 5_000);
  }
  await calendar.getByRole('button', { name: `${day}, ${MONTHS[month - 1]}, ${year}`, exact: true }).click();
  await expectValue(input, `${MONTHS[month - 1]} ${day}, ${year}`);
}

/**
 * Picks a time in an Adaptive Card Input.Time as the Playground renders it (Fluent UI TimePicker,
 * en-US, every half hour, "1:00 PM"): opens the list and clicks the option.
 */
export async function pickTime(page: Page, input: Locator, hhmm: string): Promise<void> {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const shown = `${hours % 12 === 0 ? 12 : hours % 12}:${String(minutes).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
  await input.click();
  await page.getByRole('option', { name: shown, exact: true }).click();
  await expectValue(input, shown);
}

async function expectText(locator: Locator, ok: (text: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok(((await locator.textContent()) ?? '').trim())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${locator} to change`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectValue(input: Locator, wanted: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await input.inputValue();
    if (value === wanted) return;
    if (Date.now() > deadline) throw new Error(`${input} shows "${value}", not "${wanted}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Makes the page tall enough to show the whole of `locator` (a card, with `margin` pixels for the
 * Playground's header and what surrounds the card), then scrolls it to the middle of the
 * conversation, so a screenshot of the page shows the card whole. The width is kept.
 */
export async function showWhole(page: Page, locator: Locator, { margin = 320, minHeight = 860, maxHeight = 3200 } = {}): Promise<void> {
  await locator.waitFor();
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 1280;
  const height = Math.min(maxHeight, Math.max(minHeight, Math.ceil((box?.height ?? 0) + margin)));
  await page.setViewportSize({ width, height });
  await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
}
