import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeCard } from '../../src/cards/intakeCard';
import { INTAKE_FIELDS, validateIntake, type IntakeField, type IntakeProblem } from '../../src/domain/intake';
import { sv } from '../../src/texts/sv';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, inputsOf } from '../support/playground';
import { startRound, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026, 09:00 in Luleå (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';
const scenario = SCENARIO_INTAKE;

/** The red lines of a card (the summary, the general messages and every field's messages), in order. */
function redLines(card: unknown): string[] {
  const out: string[] = [];
  JSON.stringify(card, (_key, value) => {
    if (value && typeof value === 'object' && value.type === 'TextBlock' && value.color === 'Attention') out.push(value.text);
    return value;
  });
  return out;
}

/** The red lines right under the input `id` (or under its row, for a time). */
function linesUnder(card: unknown, id: string): string[] {
  const lines: string[] = [];
  const visit = (items: unknown[]) => {
    for (let i = 0; i < items.length; i++) {
      const node = items[i] as Record<string, unknown>;
      const holds = JSON.stringify(node).includes(`"id":"${id}"`);
      if (holds && Array.isArray(node.items)) visit(node.items);
      else if (holds && Array.isArray(node.columns)) {
        for (const column of node.columns as { items: unknown[] }[]) visit(column.items);
        for (let j = i + 1; j < items.length && (items[j] as { color?: string }).color === 'Attention'; j++) lines.push((items[j] as { text: string }).text);
      } else if (holds) {
        for (let j = i + 1; j < items.length; j++) {
          const next = items[j] as { type?: string; color?: string; isSubtle?: boolean; text?: string };
          if (next.type !== 'TextBlock' || (next.color !== 'Attention' && !next.isSubtle)) break;
          if (next.color === 'Attention') lines.push(next.text!);
        }
      }
    }
  };
  visit((card as { body: unknown[] }).body);
  return lines;
}

describe('a refused intake card: every problem at once, each under its field, every value kept (issue #13)', () => {
  let round: Round;

  beforeAll(async () => {
    round = await startRound(START);
  }, 120_000);
  afterAll(() => round?.stop());

  async function intakeCardInChannel() {
    const { thread, reply } = await round.pg.skola.postInChannel(ORGS.skola.intakeChannel, 'nytt möte');
    return { thread, cardId: reply.message!.messageId };
  }

  it('reports the age, the personnummer in the purpose, the case reference, the consent and a past time in one answer', async () => {
    const { thread, cardId } = await intakeCardInChannel();
    const typed = {
      ...scenario,
      caseReference: 'NB 2026/7',
      age: '25',
      purpose: 'Flickan 121212-1212 har hög frånvaro',
      consentParties: 'socialtjanst',
      time2Date: '2026-03-01',
      time2Time: '09:00',
    };
    const refused = (await round.pg.skola.invoke(thread, cardId, 'submitIntake', typed)).value;

    expect(redLines(refused)[0]).toBe(sv.intake.fixErrors('ärendereferens, ålder, syfte, samtycket omfattar, tid 2'));
    expect(linesUnder(refused, 'caseReference')).toEqual([
      'Ärendereferensen har fel form. Den ska ha 3–20 tecken: versaler A–Ö, siffror och bindestreck, utan mellanslag eller snedstreck, till exempel NB-2026-0001.',
    ]);
    expect(linesUnder(refused, 'age')).toEqual([sv.intake.problem.tooOld]);
    expect(linesUnder(refused, 'purpose')).toEqual([
      'Ta bort personnumret – skriv inget som kan identifiera den unge.',
      'Numret visas här som ÅÅMMDD-XXXX och har inte sparats. Ta bort det och skicka igen.',
    ]);
    expect(linesUnder(refused, 'consentParties')).toEqual([sv.intake.notCovered('Primärvård')]);
    expect(linesUnder(refused, 'time2Date')).toEqual(['Tiden har redan passerat. Välj en tid framåt, till exempel torsdag 5 mars 13:00.']);
    for (const clean of ['municipality', 'summoned', 'gender', 'place', 'consentDate', 'time1Date']) expect(linesUnder(refused, clean), clean).toEqual([]);

    // Every value is kept; the personnummer only as a mask, nowhere in the card.
    expect(inputsOf(refused)).toMatchObject({
      municipality: 'Luleå',
      convener: 'skola',
      summoned: 'socialtjanst,primarvard',
      caseReference: 'NB 2026/7',
      age: '25',
      gender: 'flicka',
      purpose: 'Flickan ÅÅMMDD-XXXX har hög frånvaro',
      consentParties: 'socialtjanst',
      consentConfirmed: 'true',
      time1Date: '2026-03-12',
      time1Time: '13:00',
      time2Date: '2026-03-01',
      time2Time: '09:00',
      place: 'Sunderby skola, konferensrum 2',
    });
    const json = JSON.stringify(refused);
    expect(json).not.toContain('121212-1212');
    expect(json).not.toContain('Värdet är inte giltigt');
    expect(await round.bot.store.caseReferences.listPartition('Luleå')).toEqual([]);
    expect(await round.bot.store.meetings.list('Luleå')).toEqual([]);

    // Sent back with the mask still in it: refused again, for that alone.
    const fixed = { ...typed, caseReference: '', age: '15', consentParties: 'socialtjanst,primarvard', time2Date: '', time2Time: '' };
    const again = (await round.pg.skola.invoke(thread, cardId, 'submitIntake', { ...fixed, purpose: inputsOf(refused).purpose })).value;
    expect(redLines(again)[0]).toBe(sv.intake.fixErrors('syfte'));
    expect(linesUnder(again, 'purpose')[0]).toBe(sv.intake.problem.personnummer);
    // A blank case reference comes back proposed.
    expect(inputsOf(again).caseReference).toBe('NB-2026-0001');

    const accepted = (await round.pg.skola.invoke(thread, cardId, 'submitIntake', { ...fixed, caseReference: 'NB-2026-0001', purpose: 'Hög frånvaro' })).value;
    expect(cardTexts(accepted)[0]).toBe('Norrbusmöte NB-2026-0001');
    const stored = await round.bot.store.meetings.list('Luleå');
    expect(stored.map((m) => [m.intake.purpose, m.intake.age])).toEqual([['Hög frånvaro', 15]]);
  });

  it('names a taken case reference with the next free one, a party without a channel and a forged municipality, with the field problems', async () => {
    const { thread, cardId } = await intakeCardInChannel();
    const refused = (
      await round.pg.skola.invoke(thread, cardId, 'submitIntake', {
        ...scenario,
        municipality: 'Kiruna',
        caseReference: 'nb-2026-0001',
        age: '25',
        summoned: 'socialtjanst,specialistvard',
        consentParties: 'socialtjanst,specialistvard',
      })
    ).value;
    expect(redLines(refused).slice(0, 2)).toEqual([sv.intake.fixErrors('parter som kallas, ärendereferens, ålder'), sv.authority.convenerIsChannel('Skola', 'Luleå')]);
    expect(linesUnder(refused, 'caseReference')).toEqual(['NB-2026-0001 används redan i Luleå. Välj en annan, till exempel NB-2026-0002 (nästa lediga).']);
    expect(linesUnder(refused, 'summoned')).toEqual([sv.intake.missingChannels('Specialistvård', 'Luleå')]);
    expect(linesUnder(refused, 'age')).toEqual([sv.intake.problem.tooOld]);
    expect(inputsOf(refused)).toMatchObject({ municipality: 'Luleå', convener: 'skola', caseReference: 'nb-2026-0001', age: '25', summoned: 'socialtjanst,specialistvard' });
    expect(await round.bot.store.caseReferences.listPartition('Kiruna')).toEqual([]);
    expect((await round.bot.store.caseReferences.listPartition('Luleå')).map((c) => c.value.caseReference)).toEqual(['NB-2026-0001']);
  });

  it('from a personal chat, presets what the person\'s team memberships tell: municipality, convening party, case reference, consent date', async () => {
    const { pg } = round;
    await pg.skola.say(ORGS.skola.personalChat, 'norrbus nytt möte');
    const card = cardOf(await pg.skola.nextIn(ORGS.skola.personalChat, 'the intake card'));
    // Luleå kommun may convene as school or social services; Karin is in the school's team only.
    expect(inputsOf(card)).toMatchObject({
      municipality: 'Luleå',
      convener: 'skola',
      summoned: 'socialtjanst,primarvard',
      consentParties: 'socialtjanst,primarvard',
      caseReference: 'NB-2026-0002',
      consentDate: '2026-03-02',
    });
    expect(cardTexts(card)).toContain(sv.intake.caseReferenceHint('NB-2026-0002'));

    // Region Norrbotten may convene as primary care in all 14 municipalities; Leila's team is Luleå's.
    await pg.primarvard.say(ORGS.primarvard.personalChat, 'norrbus nytt möte');
    const regionCard = cardOf(await pg.primarvard.nextIn(ORGS.primarvard.personalChat, 'the intake card for primary care'));
    expect(inputsOf(regionCard)).toMatchObject({ municipality: 'Luleå', convener: 'primarvard', summoned: 'skola,socialtjanst', caseReference: 'NB-2026-0002', consentDate: '2026-03-02' });
  });

  it('from a personal chat, refuses the party the person does not belong to together with the field problems', async () => {
    const { pg } = round;
    await pg.skola.say(ORGS.skola.personalChat, 'norrbus nytt möte');
    const reply = await pg.skola.nextIn(ORGS.skola.personalChat, 'the intake card');
    const refused = (
      await pg.skola.invoke(ORGS.skola.personalChat, reply.message!.messageId, 'submitIntake', {
        ...scenario,
        convener: 'socialtjanst',
        summoned: 'skola,primarvard',
        consentParties: 'skola,primarvard',
        caseReference: '',
        age: '25',
        place: '',
      })
    ).value;
    expect(redLines(refused)[0]).toBe(sv.intake.fixErrors('kallande part, ålder, plats'));
    expect(linesUnder(refused, 'convener')).toEqual([sv.authority.notMember('Socialtjänst', 'Luleå')]);
    expect(linesUnder(refused, 'place')).toEqual([sv.intake.expected.place]);
    expect(inputsOf(refused)).toMatchObject({ convener: 'socialtjanst', caseReference: 'NB-2026-0002', age: '25' });
    expect((await round.bot.store.caseReferences.listPartition('Luleå')).map((c) => c.value.caseReference)).toEqual(['NB-2026-0001']);
  });
});

describe('the intake card\'s messages', () => {
  const NOW = new Date('2026-03-02T08:00:00Z');
  /** Inputs that make validateIntake refuse each field in each way it can. */
  const refusals: Record<string, unknown>[] = [
    { municipality: '', convener: '', summoned: '', caseReference: '', age: '', gender: '', purpose: '', consentDate: '', consentFrom: '', consentConfirmed: 'false', time1Date: '', time1Time: '', place: '' },
    { municipality: 'Stockholm', convener: 'polisen', summoned: 'polisen', caseReference: 'NB 2026/7', age: 'fjorton', gender: 'x', consentDate: '2026-02-30', consentFrom: 'grannen', consentParties: 'polisen', time1Date: '2026-03-12', time1Time: '', time2Date: '2026-03-13', time2Time: '' },
    { age: '21', consentDate: '2026-03-03', time1Date: '2026-03-01', time2Date: '2026-03-12', time2Time: '13:00', purpose: 'x'.repeat(501), summoned: 'skola,socialtjanst' },
    { caseReference: '121212-1212', purpose: '121212-1212', place: '121212-1212', consentParties: 'socialtjanst' },
  ];

  it.each(refusals.map((r, i) => [i, r] as const))('say what is expected, with an example, for every refused field (set %i)', (_i, overrides) => {
    const values = { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0007', ...overrides };
    const result = validateIntake(values, NOW);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const card = intakeCard({ values, problems, today: '2026-03-02' });
    const fields = [...new Set(problems.map((p: IntakeProblem) => p.field))] as IntakeField[];
    expect(fields.length).toBeGreaterThan(2);
    for (const field of fields) {
      const lines = linesUnder(card, field);
      expect(lines.length, field).toBeGreaterThan(0);
      // An example, the range or limit, the choices named, or what to do.
      const explained = lines.some((l) => /till exempel|0–20|högst 500|Ta bort det|Kryssa i|Bekräfta att|i listan: /.test(l));
      expect(explained, `${field}: ${lines.join(' | ')}`).toBe(true);
    }
    expect(JSON.stringify(card)).not.toContain('Värdet är inte giltigt');
    expect(JSON.stringify(card)).not.toContain('121212-1212');
    expect(redLines(card)[0]).toMatch(/^Kallelsen är inte skickad\. Rätta det som är markerat: /);
  });

  it('gives every input of the card an error message of its own for Teams\' own check', () => {
    const card = intakeCard({ values: {}, today: '2026-03-02' });
    const messages: Record<string, string> = {};
    JSON.stringify(card, (_key, value) => {
      if (value && typeof value === 'object' && typeof value.errorMessage === 'string') messages[value.id] = value.errorMessage;
      return value;
    });
    expect(Object.keys(messages).length).toBeGreaterThan(15);
    for (const [id, message] of Object.entries(messages)) {
      expect(INTAKE_FIELDS as readonly string[]).toContain(id);
      expect(message, id).toMatch(/till exempel|Bekräfta att|i listan: /);
    }
  });
});
