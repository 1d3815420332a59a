import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { travellingClock } from '../support/bot';
import { CHROMIUM, hasChromium, openBrowser, pickDate, pickTime, screenshotPath, showWhole, type Browser } from '../support/browser';
import { ORGS, type DemoPartyKey } from '../support/organisations';
import { startRound, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

if (!hasChromium) {
  console.warn(`Journey test skipped: ${CHROMIUM} is missing. Install it with "apt-get install chromium" (.ci/run does).`);
}

/** Monday 2 March 2026, 09:00 in Luleå: the day Karin has consent (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';
const REF = 'NB-2026-0001';
const { purpose: PURPOSE, place: PLACE } = SCENARIO_INTAKE;
const JONAS = 'Jonas Nilsson, socialsekreterare';
const LEILA = 'Leila Karimi, distriktssköterska, och dr Berg, distriktsläkare';
const COMMITMENT = 'åtagande Skolan ansvarar för anpassad studiegång, 3 dagar/vecka, utförs av specialpedagog, uppföljning 20 april';
const REMINDER_TITLE = `Påminnelse – Norrbusmöte ${REF}`;

/** Goes to a channel of the organisation's team in the Playground's tree. */
async function openChannel(page: Page, url: string, channelName: string): Promise<void> {
  await page.goto(url.replace('127.0.0.1', 'localhost'));
  await page.getByRole('treeitem', { name: new RegExp(channelName) }).click();
}

/** The newest card in the conversation that shows `text`. */
function cardWith(page: Page, text: string): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text }).last();
}

/** Each text is shown on the card (exactly, as one text block or label). */
async function expectShown(card: Locator, texts: (string | RegExp)[]): Promise<void> {
  for (const text of texts) {
    await expect(card.getByText(text, { exact: true }).first().isVisible(), String(text)).resolves.toBe(true);
  }
}

/** Writes `@Norrbus <text>` in a box of the Playground, picking the bot from the mention list as a person does. */
async function mentionNorrbus(page: Page, box: Locator, text: string): Promise<void> {
  await box.click();
  await box.pressSequentially('@Nor');
  await page.getByRole('menuitem', { name: 'Norrbus' }).click();
  await box.pressSequentially(` ${text}`);
}

/** The picture of a step: the whole card in view, in the git-ignored folder unless NORRBUS_UPDATE_SCREENSHOTS=1. */
async function picture(page: Page, card: Locator, name: string): Promise<void> {
  await page.bringToFront();
  await showWhole(page, card);
  await page.screenshot({ path: screenshotPath(`journey-${name}.png`) });
}

/**
 * Issue 13: the whole round in the browser, as the three Luleå organisations see it, each in its own
 * Teams (Playground) — Karin at Sunderby skola, Jonas at IFO barn och unga, Leila at Hälsocentralen
 * Hertsön — from the intake to a deviation, with a picture of each step (`npm run screenshots`
 * copies them to docs/ for the README's "Rundan i bilder").
 */
describe.skipIf(!hasChromium)('the whole round in the browser, three organisations', () => {
  const time = travellingClock(START);
  let round: Round;
  let browser: Browser;

  beforeAll(async () => {
    [round, browser] = await Promise.all([startRound(START, time.clock), openBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await round?.stop();
  });

  it('intake, summons, answers, status, fixed, commitment, plan, reminder and deviation', async () => {
    // Each person has their organisation's Teams open on their intake channel before the bot posts
    // there: the Playground's web client shows only what its WebSocket pushes while it is open.
    const karin = browser.page;
    const [jonas, leila] = await Promise.all([karin.context().newPage(), karin.context().newPage()]);
    const pages: Record<DemoPartyKey, Page> = { skola: karin, socialtjanst: jonas, primarvard: leila };
    await Promise.all((Object.keys(pages) as DemoPartyKey[]).map((party) => openChannel(pages[party], round.pg[party].url, ORGS[party].intakeChannelName)));

    // 01 Karin, kurator at Sunderby skola, asks for the intake card in her channel and fills it in.
    await karin.bringToFront();
    await karin.setViewportSize({ width: 1280, height: 1900 });
    const post = karin.locator('[contenteditable="true"]').first();
    await mentionNorrbus(karin, post, 'nytt möte');
    await karin.getByRole('button', { name: 'Post' }).click();
    const intake = cardWith(karin, 'Nytt Norrbusmöte – kallelse');
    await intake.waitFor({ timeout: 20_000 });
    await expect(intake.getByRole('combobox', { name: 'Kommun' }).inputValue()).resolves.toBe('Luleå');
    await expect(intake.getByRole('combobox', { name: 'Kallande part' }).inputValue()).resolves.toBe('Skola');
    await expect(intake.getByRole('textbox', { name: 'Ärendereferens' }).inputValue()).resolves.toBe(REF);
    for (const party of ['Socialtjänst', 'Primärvård']) {
      await expect(intake.getByRole('checkbox', { name: `Parter som kallas ${party}` }).isChecked(), party).resolves.toBe(true);
    }
    await intake.getByRole('textbox', { name: 'Ålder (0–20 år)' }).fill('14');
    await intake.getByRole('combobox', { name: 'Kön (för uppföljning av jämlikhet)' }).click();
    await karin.getByRole('option', { name: 'Flicka', exact: true }).click();
    await intake.getByRole('textbox', { name: 'Syfte med mötet' }).fill(PURPOSE);
    await intake.getByRole('checkbox', { name: 'Samtycke finns (från 18 år den unges eget) och de som samtyckt kan delta.' }).check();
    await pickDate(karin, intake.getByRole('combobox', { name: 'Datum 1' }), '2026-03-12');
    await pickTime(karin, intake.getByRole('combobox', { name: 'Tid 1' }), '13:00');
    await pickDate(karin, intake.getByRole('combobox', { name: 'Datum 2' }), '2026-03-13');
    await pickTime(karin, intake.getByRole('combobox', { name: 'Tid 2' }), '09:00');
    await intake.getByRole('textbox', { name: 'Plats eller länk till digitalt möte' }).fill(PLACE);
    await expectShown(intake, ['Kallelse senast 9 mars (5 arbetsdagar efter samtycke). Möte senast 16 mars (10 arbetsdagar efter kallelse).']);
    await picture(karin, intake, '01-intake');

    // 02 Sent: the intake card becomes Karin's status card, both parties waiting.
    await intake.getByRole('button', { name: 'Skicka kallelse' }).click();
    const status = () => cardWith(karin, `Norrbusmöte ${REF}`);
    await status().getByText('Väntar på svar').first().waitFor({ timeout: 20_000 });
    await expectShown(status(), ['Socialtjänst', 'Primärvård', 'Saknas: Socialtjänst, Primärvård']);
    await expect(status().getByText('Väntar på svar', { exact: true }).count()).resolves.toBe(2);
    await picture(karin, status(), '02-status-waiting');

    // 03, 04 The summons, a new thread in each party's intake channel, in its own organisation's Teams.
    const summons = (party: 'socialtjanst' | 'primarvard') => cardWith(pages[party], `Kallelse till Norrbusmöte ${REF}`);
    for (const [party, step] of [['socialtjanst', '03-summons-social-services'], ['primarvard', '04-summons-primary-care']] as const) {
      await summons(party).waitFor({ timeout: 20_000 });
      await expectShown(summons(party), [
        'Karin Lindström, Luleå kommun (skola), kallar er till ett Norrbusmöte. Ta med någon med mandat att besluta om insatser.',
        '13–15 år, flicka',
        PURPOSE,
        PLACE,
        /torsdag 12 mars 13:00/,
        /fredag 13 mars 09:00/,
        'Väntar på svar',
      ]);
      await expect(summons(party).getByRole('button', { name: 'Vi deltar' }).isVisible()).resolves.toBe(true);
      await picture(pages[party], summons(party), step);
    }

    // 05 Tuesday 3 March: Jonas answers "Vi deltar", himself, Thursday 12 March.
    time.travel('2026-03-03T09:15:00Z');
    await jonas.bringToFront();
    await summons('socialtjanst').getByRole('button', { name: 'Vi deltar' }).click();
    await summons('socialtjanst').getByRole('textbox', { name: 'Vem deltar (med mandat att besluta om insatser)' }).fill(JONAS);
    await summons('socialtjanst').getByRole('checkbox', { name: /torsdag 12 mars 13:00/ }).check();
    await expect(summons('socialtjanst').getByRole('checkbox', { name: /fredag 13 mars 09:00/ }).isChecked()).resolves.toBe(false);
    await picture(jonas, summons('socialtjanst'), '05-answer-social-services');
    await summons('socialtjanst').getByRole('button', { name: 'Skicka svar' }).click();
    await summons('socialtjanst').getByText(`Deltar: ${JONAS}, torsdag 12 mars 13:00`, { exact: true }).waitFor({ timeout: 20_000 });

    // 06 Wednesday 4 March: Leila answers for the health centre, both times suit them.
    time.travel('2026-03-04T10:00:00Z');
    await leila.bringToFront();
    await summons('primarvard').getByRole('button', { name: 'Vi deltar' }).click();
    await summons('primarvard').getByRole('textbox', { name: 'Vem deltar (med mandat att besluta om insatser)' }).fill(LEILA);
    await summons('primarvard').getByRole('checkbox', { name: /torsdag 12 mars 13:00/ }).check();
    await summons('primarvard').getByRole('checkbox', { name: /fredag 13 mars 09:00/ }).check();
    await summons('primarvard').getByRole('button', { name: 'Skicka svar' }).click();
    await summons('primarvard').getByText(`Deltar: ${LEILA}, torsdag 12 mars 13:00 eller fredag 13 mars 09:00`, { exact: true }).waitFor({ timeout: 20_000 });
    await picture(leila, summons('primarvard'), '06-answer-primary-care');

    // 07 Karin's status card, updated in place: everyone has answered, and who can come when.
    await karin.bringToFront();
    await status().getByText('Alla parter har svarat.', { exact: true }).waitFor({ timeout: 20_000 });
    await expectShown(status(), [
      `Deltar: ${JONAS}, torsdag 12 mars 13:00`,
      'Besvarat av Jonas Nilsson 3 mars 10:15',
      'Besvarat av Leila Karimi 4 mars 11:00',
      'Vem kan när',
      'passar alla',
      'passar Primärvård',
    ]);
    await expect(status().getByRole('radio', { name: 'torsdag 12 mars 13:00 (passar alla)' }).isChecked()).resolves.toBe(true);
    await expect(status().getByRole('radio', { name: 'fredag 13 mars 09:00 (inte vald av Socialtjänst)' }).isVisible()).resolves.toBe(true);
    await expect(karin.locator('.ac-adaptiveCard', { hasText: `Norrbusmöte ${REF}` }).count()).resolves.toBe(1);
    await picture(karin, status(), '07-status-answered');

    // 08 Karin confirms Thursday 12 March 13:00; every party's thread is told.
    time.travel('2026-03-04T13:30:00Z');
    await status().getByRole('button', { name: 'Bekräfta mötet' }).click();
    await status().getByText('Mötet är bekräftat: torsdag 12 mars 13:00.', { exact: true }).waitFor({ timeout: 20_000 });
    await expect(status().getByRole('button', { name: 'Bekräfta mötet' }).count()).resolves.toBe(0);
    const fixedNotice = `Norrbusmöte ${REF} är bekräftat: torsdag 12 mars 13:00, ${PLACE}.`;
    for (const party of ['socialtjanst', 'primarvard'] as const) {
      await pages[party].getByRole('paragraph').getByText(fixedNotice, { exact: true }).waitFor({ timeout: 20_000 });
    }
    await picture(karin, status(), '08-fixed');

    // 09 Thursday 12 March, at the meeting: Karin writes the school's commitment in her meeting thread.
    time.travel('2026-03-12T13:10:00Z');
    const reply = karin.locator('[contenteditable="true"]').nth(1);
    await mentionNorrbus(karin, reply, COMMITMENT);
    await karin.getByRole('button', { name: 'Send Message' }).click();
    const confirm = () => cardWith(karin, 'Åtagande – stämmer det här?');
    await confirm().waitFor({ timeout: 20_000 });
    await expect(confirm().getByRole('combobox', { name: 'Ansvarig part' }).inputValue()).resolves.toBe('Skola');
    await expect(confirm().getByRole('textbox', { name: 'Insats' }).inputValue()).resolves.toBe('anpassad studiegång');
    await expect(confirm().getByRole('textbox', { name: 'Omfattning' }).inputValue()).resolves.toBe('3 dagar/vecka');
    await expect(confirm().getByRole('textbox', { name: 'Utförare' }).inputValue()).resolves.toBe('specialpedagog');
    await expect(confirm().getByRole('combobox', { name: 'Uppföljning (datum)' }).inputValue()).resolves.toBe('April 20, 2026');
    await picture(karin, confirm(), '09-commitment');

    // 10 "Spara": the plan, posted in every thread of the meeting.
    await confirm().getByRole('button', { name: 'Spara' }).click();
    await cardWith(karin, `Åtagandet är sparat i planen för ${REF}.`).waitFor({ timeout: 20_000 });
    const plan = (page: Page) => cardWith(page, `Plan för Norrbusmöte ${REF}`);
    for (const page of Object.values(pages)) await plan(page).getByText('anpassad studiegång', { exact: true }).waitFor({ timeout: 20_000 });
    await expectShown(plan(karin), ['Skola', 'anpassad studiegång', '3 dagar/vecka', 'specialpedagog', '20 april', 'Planerad']);
    await picture(karin, plan(karin), '10-plan');

    // 11 Still at the meeting: "Mötet hölls" on the status card: who took part, yes or no only.
    // The status card, not the later cards that also name the case.
    const held = cardWith(karin, 'Mötet är bekräftat: torsdag 12 mars 13:00.');
    await held.getByRole('button', { name: 'Mötet hölls' }).click();
    await expect(held.getByRole('checkbox', { name: 'Skola' }).isChecked()).resolves.toBe(true);
    await held.getByRole('checkbox', { name: 'Den unge deltog' }).check();
    await held.getByRole('combobox', { name: 'Vårdnadshavare 1' }).click();
    await karin.getByRole('option', { name: 'Deltog', exact: true }).click();
    await held.getByRole('combobox', { name: 'Vårdnadshavare 2' }).click();
    await karin.getByRole('option', { name: 'Finns inte', exact: true }).click();
    await held.getByRole('checkbox', { name: 'Den unges egen syn efterfrågades och dokumenterades' }).check();
    await picture(karin, held, '11-held');
    await held.getByRole('button', { name: 'Spara deltagandet' }).click();
    await held.getByText('Mötet hölls. Deltog: Skola, Socialtjänst, Primärvård. Den unge deltog: ja. Vårdnadshavare: 1 av 1 deltog. Den unges syn dokumenterad: ja.', { exact: true }).waitFor({ timeout: 20_000 });

    // 12 Wednesday 15 April, 3 working days before the follow-up: the school's thread is reminded.
    time.travel('2026-04-15T07:00:00Z');
    await expect(round.bot.reminders.run(new Date('2026-04-15T07:00:00Z'))).resolves.toMatchObject({ posted: 1 });
    const upcoming = cardWith(karin, 'Uppföljning av insatsen "anpassad studiegång" 20 april.');
    await upcoming.waitFor({ timeout: 20_000 });
    await expectShown(upcoming, [REMINDER_TITLE]);
    await picture(karin, upcoming, '12-reminder');

    // 13 Monday 20 April: "Är insatsen genomförd?" — Karin answers "Ej genomförd", and is prompted for a deviation.
    time.travel('2026-04-20T06:30:00Z');
    await expect(round.bot.reminders.run(new Date('2026-04-20T06:30:00Z'))).resolves.toMatchObject({ posted: 1 });
    const check = cardWith(karin, 'Är insatsen genomförd? "anpassad studiegång" skulle följas upp i dag.');
    await check.waitFor({ timeout: 20_000 });
    await check.getByRole('button', { name: 'Ej genomförd' }).click();
    await check.getByRole('textbox', { name: 'Orsak' }).fill('Specialpedagogen är sjukskriven');
    await check.getByRole('button', { name: 'Skicka' }).click();
    await cardWith(karin, 'Tack – registrerat: Ej genomförd.').waitFor({ timeout: 20_000 });
    time.travel('2026-04-20T08:00:00Z');
    await expect(round.bot.reminders.run(new Date('2026-04-20T08:00:00Z'))).resolves.toMatchObject({ posted: 1 });
    const prompt = cardWith(karin, 'Insatsen "anpassad studiegång" (Skola) är inte genomförd enligt planen.');
    await prompt.waitFor({ timeout: 20_000 });
    await expectShown(prompt, [REMINDER_TITLE, 'Vill du göra en avvikelserapport?']);
    await expect(prompt.getByRole('button', { name: 'Skapa avvikelserapport' }).isVisible()).resolves.toBe(true);
    await picture(karin, prompt, '13-deviation');

    // 14 "Skapa avvikelserapport": a draft with the facts of what was missed, for Karin to complete.
    await prompt.getByRole('button', { name: 'Skapa avvikelserapport' }).click();
    const draft = cardWith(karin, 'Avvikelserapport – utkast');
    await draft.waitFor({ timeout: 20_000 });
    await expect(draft.getByRole('textbox', { name: 'Vad hände?' }).inputValue()).resolves.toBe('Åtagande ej genomfört: tidsgränsen var 20 april.');
    await expect(draft.getByRole('button', { name: 'Skicka avvikelserapport' }).isVisible()).resolves.toBe(true);
    await picture(karin, draft, '14-deviation-report');

    const [deviation] = await round.bot.store.deviations.forMunicipality('Luleå');
    expect(deviation).toMatchObject({ kind: 'commitmentNotDone', party: 'skola', caseReference: REF, deadline: '2026-04-20', status: 'draft' });
  }, 150_000);
});
