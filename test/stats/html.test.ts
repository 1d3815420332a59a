import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeYear } from '../../src/domain/indicators';
import { MUNICIPALITIES } from '../../src/domain/municipality';
import { loadYear, toHtml } from '../../src/stats';
import { CHROMIUM, hasChromium, openBrowser, screenshotPath, type Browser } from '../support/browser';
import { openTestStore } from '../support/store';
import { seedCountyYear } from './seed';

if (!hasChromium) {
  console.warn(`Stats report browser test skipped: ${CHROMIUM} is missing. Install it with "apt-get install chromium" (.ci/run does).`);
}

/** The county-wide HTML report as a person opens it: in Chromium, with nothing from the network. */
describe.skipIf(!hasChromium)('the yearly report page in the browser', () => {
  let browser: Browser;
  let html: string;

  beforeAll(async () => {
    const store = await openTestStore();
    await seedCountyYear(store, 160);
    const report = computeYear(await loadYear(store, 2025, undefined, '2025-12-31'), { municipalities: [...MUNICIPALITIES], county: true });
    html = toHtml(report);
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the Swedish headings, the charts and the suppressed counts, and loads nothing', async () => {
    const { page } = browser;
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });

    await expect(page.title()).resolves.toBe('Norrbus – uppföljning 2025 – Norrbottens län');
    for (const heading of ['Per kommun', 'Per kön', 'Per åldersgrupp']) {
      await expect(page.getByRole('heading', { name: heading, exact: true }).isVisible()).resolves.toBe(true);
    }
    const charts = page.locator('svg[role="img"]');
    await expect(charts.count()).resolves.toBe(5);
    await expect(page.getByRole('img', { name: 'Initierade möten per kommun' }).isVisible()).resolves.toBe(true);
    // Arjeplog has one meeting: shown as "<5" in the chart and the table.
    const arjeplog = page.locator('table.summary tr', { has: page.locator('th', { hasText: /^Arjeplog$/ }) });
    await expect(arjeplog.locator('td').first().textContent()).resolves.toBe('<5');
    await expect(page.getByRole('img', { name: 'Initierade möten per kommun' }).getByText('<5').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('table.summary tr', { has: page.locator('th', { hasText: /^Norrbottens län$/ }) }).locator('td').first().textContent()).resolves.toBe('161');
    // Bars have a width for every shown number.
    await expect(charts.first().locator('rect').count()).resolves.toBeGreaterThan(5);

    await page.screenshot({ path: screenshotPath('stats-report.png'), fullPage: true });
    expect(requests.filter((u) => !u.startsWith('about:') && !u.startsWith('data:'))).toEqual([]);
  });
});
