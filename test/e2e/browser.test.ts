import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot';
import { CHROMIUM, hasChromium, openBrowser, screenshotPath, type Browser } from '../support/browser';
import { ORG, Playground } from '../support/playground';

if (!hasChromium) {
  console.warn(`Browser test skipped: ${CHROMIUM} is missing. Install it with "apt-get install chromium" (.ci/run does).`);
}

/** What a person sees: the Playground's web client in Chromium, talking to the real bot. */
describe.skipIf(!hasChromium)('in the browser', () => {
  let bot: TestBot;
  let playground: Playground;
  let browser: Browser;

  beforeAll(async () => {
    bot = await startTestBot();
    playground = await Playground.start(bot.endpoint);
    browser = await openBrowser();
    await browser.page.goto(playground.url.replace('127.0.0.1', 'localhost'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await bot?.close();
  });

  it('shows the help card for "norrbus hjälp" in the personal chat', async () => {
    const { page } = browser;
    await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
    const box = page.locator('[contenteditable="true"]').first();
    await box.click();
    await box.pressSequentially('norrbus hjälp');
    await page.keyboard.press('Enter');

    const card = page.locator('.ac-adaptiveCard', { hasText: 'Norrbus – samordning kring barn och unga' }).last();
    await card.waitFor({ timeout: 30_000 });
    for (const command of ['norrbus nytt möte', 'norrbus åtagande ‹text›', 'norrbus registrera', 'norrbus kanaler [kommun]']) {
      await expect(card.getByText(command, { exact: true }).isVisible()).resolves.toBe(true);
    }
    await page.screenshot({ path: screenshotPath('help-card.png') });

    // Opening the chat installed the bot there, as in Teams.
    await expect.poll(async () => (await bot.store.installations.find(ORG.tenantId, ORG.personalChat))?.value.status, { timeout: 10_000 }).toBe('installed');
  });

  it('registers the channel from the card, with the choices a person makes', async () => {
    const { page } = browser;
    await page.getByRole('treeitem', { name: /Norrbus – Elevhälsan/ }).click();
    const post = page.locator('[contenteditable="true"]').first();
    await post.click();
    await post.pressSequentially('@Nor');
    await page.getByRole('menuitem', { name: 'Norrbus' }).click();
    await post.pressSequentially(' registrera');
    await page.getByRole('button', { name: 'Post' }).click();

    const card = page.locator('.ac-adaptiveCard', { hasText: 'Registrera kanalen i Norrbus' }).last();
    await card.waitFor({ timeout: 30_000 });
    // The choice sets render as comboboxes (Fluent UI), as in Teams.
    await card.getByPlaceholder('Välj kommun').click();
    await page.getByRole('option', { name: 'Luleå', exact: true }).click();
    await card.getByPlaceholder('Välj part').click();
    await page.getByRole('option', { name: 'Skola', exact: true }).click();
    await card.getByRole('button', { name: 'Registrera' }).click();

    await page.locator('.ac-adaptiveCard', { hasText: 'Kanalen är registrerad som Skola i Luleå.' }).last().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('registered-channel.png') });
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))?.value).toMatchObject({ channelId: ORG.elevhalsan, teamId: ORG.teamId });
  });
});
