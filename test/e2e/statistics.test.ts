import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { addWorkingDays } from '../../src/domain/calendar';
import type { SummonableParty } from '../../src/domain/meeting';
import { sv } from '../../src/texts/sv';
import { clockFrom, startTestBot, type TestBot } from '../support/bot';
import { cardOf, cardTexts, ORG, Playground } from '../support/playground';
import { meetingId, storedDeviation, storedMeeting, type SeedMeeting } from '../stats/seed';

/** The card's FactSets as one list of [title, value] pairs, in order. */
function factsOf(card: unknown): [string, string][] {
  const out: [string, string][] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.push([f.title, f.value]);
      else Object.values(o).forEach(visit);
    }
  };
  visit(card);
  return out;
}

/**
 * `norrbus statistik [år] [kommun]` with the real bot and the real Agents Playground, on a year of
 * meetings seeded as the bot stores them: Luleå has 8 meetings in 2026 (6 held, 2 cancelled),
 * Piteå 1, and the bot's clock says October 2026.
 */
describe('norrbus statistik in the Agents Playground', () => {
  let bot: TestBot;
  let playground: Playground;

  beforeAll(async () => {
    bot = await startTestBot({}, clockFrom('2026-10-01T08:00:00Z'));
    playground = await Playground.start(bot.endpoint);
    await seedDemoDirectory(bot.store, { skola: playground.serviceUrl, socialtjanst: playground.serviceUrl, primarvard: playground.serviceUrl }, new Date('2026-01-05T08:00:00Z'));

    const seeds: SeedMeeting[] = [];
    for (let n = 1; n <= 8; n++) {
      const consentDate = addWorkingDays('2026-02-02', n * 7);
      // 6 of 8 summonses within 5 working days of consent; the other 2 after 7.
      const summonsDate = addWorkingDays(consentDate, n <= 6 ? 2 : 7);
      // Social services summoned to all 8 and answering 7; primary care summoned to 3 (answering all).
      const summoned: SummonableParty[] = n <= 3 ? ['socialtjanst', 'primarvard'] : ['socialtjanst'];
      const answered: SeedMeeting['answered'] = {};
      if (n !== 8) answered.socialtjanst = addWorkingDays(summonsDate, 1);
      if (n <= 3) answered.primarvard = addWorkingDays(summonsDate, 2);
      const cancelled = n === 7 || n === 8;
      seeds.push({
        n,
        municipality: 'Luleå',
        summoned,
        consentDate,
        summonsDate,
        answered,
        ...(cancelled ? { state: 'cancelled' } : { fixedDate: addWorkingDays(summonsDate, 6) }),
      });
    }
    seeds.push({ n: 9, municipality: 'Piteå', summoned: ['socialtjanst'], consentDate: '2026-03-02', summonsDate: '2026-03-03', fixedDate: '2026-03-10' });
    // One meeting of an earlier year, which 2026 must not count.
    seeds.push({ n: 10, municipality: 'Luleå', summoned: ['socialtjanst'], consentDate: '2025-11-03', summonsDate: '2025-11-04', fixedDate: '2025-11-12' });
    for (const s of seeds) await bot.store.meetings.create(storedMeeting(s));
    await bot.store.deviations.create(storedDeviation('Luleå', 1, 'summonsNotAnswered', 'socialtjanst', '2026-06-10', meetingId(8)));
    await bot.store.deviations.create(storedDeviation('Luleå', 2, 'summonsNotAnswered', 'socialtjanst', '2026-06-11', meetingId(8)));
  });
  afterAll(async () => {
    await playground?.stop();
    await bot?.close();
  });

  async function ask(text: string) {
    await playground.say(ORG.personalChat, text);
    return playground.nextIn(ORG.personalChat, `the answer to "${text}"`);
  }

  it('answers "norrbus statistik 2026 Luleå" with the year\'s indicators, small counts hidden', async () => {
    const card = cardOf(await ask('norrbus statistik 2026 Luleå'));
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card).length).toBeLessThan(28 * 1024 / 2);
    const texts = cardTexts(card);
    expect(texts[0]).toBe('Norrbus – uppföljning 2026, Luleå');
    expect(texts).toContain(sv.stats.card.legend);
    expect(sv.stats.card.legend).toContain('ingen enskild ung person kan pekas ut');
    expect(texts).toEqual(expect.arrayContaining(['Möten', 'Tid i arbetsdagar', 'Svar på kallelser', 'Åtaganden', 'Avvikelser']));

    const facts = Object.fromEntries(factsOf(card));
    expect(facts).toMatchObject({
      'Initierade möten': '8',
      'Hållna möten': '6',
      'Inställda möten': '–',
      'Samtycke → kallelse, median (arbetsdagar)': '2',
      'Samtycke → kallelse, andel inom 5 arbetsdagar': '75 %',
      'Samtycke → kallelse, andel inom 10 arbetsdagar': '100 %',
      'Kallelse → möte, andel inom 10 arbetsdagar': '100 %',
      'Socialtjänst: andel som svarat': '88 %',
      // Primary care was summoned 3 times: its answer rate is built on fewer than 5 and hidden.
      'Primärvård: andel som svarat': '–',
      'Andel möten med skola, socialtjänst och primärvård': '38 %',
      Åtaganden: '0',
      'Andel åtaganden genomförda till uppföljningsdagen': sv.stats.card.noBasis,
      Avvikelser: '–',
      'Avvikelse: Kallelse inte besvarad': '–',
    });
    // A party never summoned is left out rather than shown as an empty line.
    expect(facts['Specialistvård: andel som svarat']).toBeUndefined();
    expect(texts).not.toContain(sv.stats.card.noMeetings(2026, 'Luleå'));
  });

  it('defaults to the county and the current year by the bot\'s clock in the personal chat', async () => {
    const card = cardOf(await ask('norrbus statistik'));
    expect(cardTexts(card)[0]).toBe('Norrbus – uppföljning 2026, Norrbottens län');
    expect(Object.fromEntries(factsOf(card))).toMatchObject({ 'Initierade möten': '9', 'Hållna möten': '7' });
  });

  it('defaults to the municipality of the channel it is asked in', async () => {
    const post = await playground.say(ORG.elevhalsan, 'statistik', { mention: true });
    const reply = await playground.next((f) => f.action === 'createMessage' && f.actionConversationId === post.postConversationId, 'the statistics card in the channel');
    const card = cardOf(reply);
    expect(cardTexts(card)[0]).toBe('Norrbus – uppföljning 2026, Luleå');
    expect(Object.fromEntries(factsOf(card))['Initierade möten']).toBe('8');
  });

  it('says clearly when there were no meetings that year', async () => {
    const card = cardOf(await ask('norrbus statistik 1999 Luleå'));
    const texts = cardTexts(card);
    expect(texts[0]).toBe('Norrbus – uppföljning 1999, Luleå');
    expect(texts).toContain('Inga möten med samtycke under 1999 i Luleå.');
    expect(factsOf(card)).toEqual([]);
    expect(texts).toContain(sv.stats.card.legend);
  });

  it('answers an unknown municipality with the list of the 14', async () => {
    const frame = await ask('norrbus statistik 2026 Stockholm');
    expect(frame.message?.text).toBe(sv.unknownMunicipality);
  });
});
