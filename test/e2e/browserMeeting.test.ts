import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { clockFrom, startTestBot, type TestBot } from '../support/bot';
import { CHROMIUM, hasChromium, openBrowser, screenshotPath, pickDate, pickTime, type Browser } from '../support/browser';
import { ORGS } from '../support/organisations';
import { Playground } from '../support/playground';
import { SCENARIO_INTAKE } from '../support/scenario';

if (!hasChromium) {
  console.warn(`Browser meeting test skipped: ${CHROMIUM} is missing. Install it with "apt-get install chromium" (.ci/run does).`);
}

/** Monday 2 March 2026, 09:00 in Luleå: the day Karin has consent (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';
const { purpose: PURPOSE, place: PLACE } = SCENARIO_INTAKE;
const JONAS = 'Jonas Nilsson, socialsekreterare';
const ATTENDING = `Deltar: ${JONAS}, torsdag 12 mars 13:00`;
/** Primary care has no Playground here: its channel is in the directory but is not summoned. */
const NOWHERE = 'http://localhost:9/_connector';

/** Goes to a channel of the organisation's team in the Playground's tree. */
async function openChannel(page: Page, url: string, channelName: string): Promise<void> {
  await page.goto(url.replace('127.0.0.1', 'localhost'));
  await page.getByRole('treeitem', { name: new RegExp(channelName) }).click();
}

/** The newest card in the conversation that shows `text`. */
function cardWith(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text }).last();
}

/**
 * Issue 4 in the browser: Karin fills in the intake card in her Playground and sends it; Jonas sees
 * the summons in his organisation's Playground and answers it; Karin's status card follows.
 */
describe.skipIf(!hasChromium)('a Norrbusmöte in the browser, two organisations', () => {
  let bot: TestBot;
  let skola: Playground;
  let socialtjanst: Playground;
  let browser: Browser;

  beforeAll(async () => {
    bot = await startTestBot({ OUTBOX_INTERVAL_SECONDS: '0.5' }, clockFrom(START));
    [skola, socialtjanst] = await Promise.all([Playground.start(bot.endpoint, ORGS.skola), Playground.start(bot.endpoint, ORGS.socialtjanst)]);
    await seedDemoDirectory(bot.store, { skola: skola.serviceUrl, socialtjanst: socialtjanst.serviceUrl, primarvard: NOWHERE }, new Date(START));
    browser = await openBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([skola?.stop(), socialtjanst?.stop()]);
    await bot?.close();
  });

  it('Karin sends the intake card, Jonas answers the summons, Karin sees the answer', async () => {
    // Jonas, socialsekreterare, has social services' own Playground open in a tab of his own, on
    // his intake channel: the Playground's web client shows what its WebSocket pushes while it is
    // open (a page opened later does not fetch earlier posts).
    const karin = browser.page;
    const jonas = await karin.context().newPage();
    await jonas.setViewportSize({ width: 1280, height: 1300 });
    await openChannel(jonas, socialtjanst.url, ORGS.socialtjanst.intakeChannelName);

    // Karin, kurator at Sunderby skola, in her intake channel.
    await karin.bringToFront();
    // Tall enough for the whole intake card in one screenshot.
    await karin.setViewportSize({ width: 1280, height: 1900 });
    await openChannel(karin, skola.url, ORGS.skola.intakeChannelName);
    const post = karin.locator('[contenteditable="true"]').first();
    await post.click();
    await post.pressSequentially('@Nor');
    await karin.getByRole('menuitem', { name: 'Norrbus' }).click();
    await post.pressSequentially(' nytt möte');
    await karin.getByRole('button', { name: 'Post' }).click();

    const intake = cardWith(karin, 'Nytt Norrbusmöte – kallelse');
    await intake.waitFor({ timeout: 20_000 });
    // Preset by the bot: municipality, convener, case reference, consent date and givers.
    await expect(intake.getByRole('combobox', { name: 'Kommun' }).inputValue()).resolves.toBe('Luleå');
    await expect(intake.getByRole('combobox', { name: 'Kallande part' }).inputValue()).resolves.toBe('Skola');
    await expect(intake.getByRole('textbox', { name: 'Ärendereferens' }).inputValue()).resolves.toBe('NB-2026-0001');
    await expect(intake.getByRole('combobox', { name: 'Datum för samtycke' }).inputValue()).resolves.toBe('March 2, 2026');

    // Only social services is summoned here (primary care has no Playground in this test).
    // The multi-selects render as checkboxes named "<label> <choice>".
    await intake.getByRole('checkbox', { name: 'Parter som kallas Primärvård' }).uncheck();
    await expect(intake.getByRole('checkbox', { name: 'Parter som kallas Socialtjänst' }).isChecked()).resolves.toBe(true);
    await intake.getByRole('textbox', { name: 'Ålder (0–20 år)' }).fill('14');
    await intake.getByRole('combobox', { name: 'Kön (för uppföljning av jämlikhet)' }).click();
    await karin.getByRole('option', { name: 'Flicka', exact: true }).click();
    await intake.getByRole('textbox', { name: 'Syfte med mötet' }).fill(PURPOSE);
    await intake.getByRole('checkbox', { name: 'Samtycke finns (från 18 år den unges eget) och de som samtyckt kan delta.' }).check();
    await pickDate(karin, intake.getByRole('combobox', { name: 'Datum 1' }), '2026-03-12');
    await pickTime(karin, intake.getByRole('combobox', { name: 'Tid 1' }), '13:00');
    await intake.getByRole('textbox', { name: 'Plats eller länk till digitalt möte' }).fill(PLACE);

    await intake.scrollIntoViewIfNeeded();
    await karin.screenshot({ path: screenshotPath('intake-card.png') });
    await intake.getByRole('button', { name: 'Skicka kallelse' }).click();

    // The intake card becomes the status card in place.
    const status = cardWith(karin, 'Norrbusmöte NB-2026-0001');
    await status.waitFor({ timeout: 20_000 });
    await expect(status.getByText('Kallelse senast 9 mars (5 arbetsdagar efter samtycke). Möte senast 16 mars (10 arbetsdagar efter kallelse).').isVisible()).resolves.toBe(true);
    await status.getByText('Väntar på svar').waitFor({ timeout: 15_000 });
    await karin.setViewportSize({ width: 1280, height: 1000 });
    await status.scrollIntoViewIfNeeded();
    await karin.screenshot({ path: screenshotPath('status-card.png') });

    const claim = await bot.store.caseReferences.find('Luleå', 'NB-2026-0001');
    expect(claim).toBeDefined();
    const meetingId = claim!.value.meetingId;
    expect((await bot.store.meetings.get(meetingId))?.value.intake).toMatchObject({
      municipality: 'Luleå',
      convener: 'skola',
      summoned: ['socialtjanst'],
      caseReference: 'NB-2026-0001',
      age: 14,
      gender: 'flicka',
      purpose: PURPOSE,
      urgent: false,
      consent: { date: '2026-03-02', from: ['ungdomen', 'vardnadshavare'], parties: ['socialtjanst', 'primarvard'] },
      proposedTimes: ['2026-03-12T13:00'],
      place: PLACE,
      placedOutsideHome: false,
    });

    // Jonas's tab: the summons arrived there while it was open.
    await jonas.bringToFront();
    const summons = cardWith(jonas, 'Kallelse till Norrbusmöte NB-2026-0001');
    await summons.waitFor({ timeout: 20_000 });
    for (const seen of ['Karin Lindström, Luleå kommun (skola), kallar er till ett Norrbusmöte. Ta med någon med mandat att besluta om insatser.', '13–15 år, flicka', PURPOSE, PLACE, 'Väntar på svar']) {
      await expect(summons.getByText(seen, { exact: true }).first().isVisible(), seen).resolves.toBe(true);
    }
    await summons.scrollIntoViewIfNeeded();
    await jonas.screenshot({ path: screenshotPath('summons-card.png') });

    await summons.getByRole('button', { name: 'Vi deltar' }).click();
    await summons.getByRole('textbox', { name: 'Vem deltar (med mandat att besluta om insatser)' }).fill(JONAS);
    await summons.getByRole('checkbox', { name: /torsdag 12 mars 13:00/ }).check();
    await summons.getByRole('button', { name: 'Skicka svar' }).click();
    await cardWith(jonas, 'Kallelse till Norrbusmöte NB-2026-0001').getByText(ATTENDING, { exact: true }).waitFor({ timeout: 20_000 });

    // Back in Karin's tab: the status card was updated in place (a WS updateMessage).
    await karin.bringToFront();
    await cardWith(karin, 'Norrbusmöte NB-2026-0001').getByText(ATTENDING, { exact: true }).waitFor({ timeout: 20_000 });
    const updated = cardWith(karin, 'Norrbusmöte NB-2026-0001');
    await expect(updated.getByText('Besvarat av Jonas Nilsson 2 mars 09:00', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(updated.getByText('Alla parter har svarat.', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(updated.getByRole('button', { name: 'Bekräfta mötet' }).isVisible()).resolves.toBe(true);
    await expect(karin.locator('.ac-adaptiveCard', { hasText: 'Norrbusmöte NB-2026-0001' }).count()).resolves.toBe(1);

    const meeting = (await bot.store.meetings.get(meetingId))!.value;
    expect(meeting.state).toBe('summoning');
    expect(meeting.answers.socialtjanst).toMatchObject({ kind: 'attend', participant: JONAS, times: ['2026-03-12T13:00'], by: { id: ORGS.socialtjanst.currentUser.id } });
    expect(Object.keys(meeting.summons)).toEqual(['socialtjanst']);
  }, 120_000);
});
