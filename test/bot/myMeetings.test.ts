import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { travellingClock } from '../support/bot';
import { ORGS, type DemoPartyKey } from '../support/organisations';
import { cardOf, cardTexts } from '../support/playground';
import { convene, startRound, type ConvenedMeeting, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026, 09:00 in Luleå (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';

/**
 * Issue #13, item 6: "norrbus mina möten" in a personal chat lists the meetings waiting for an
 * answer from a party the person belongs to (a member of the team of its intake channel), with the
 * reply-by date, besides those they convened or answered.
 */
describe('"mina möten" shows the meetings waiting for my party\'s answer', () => {
  let round: Round;
  let open: ConvenedMeeting;
  const time = travellingClock(START);

  beforeAll(async () => {
    round = await startRound(START, time.clock);
    open = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0001' });
    // A second meeting, cancelled before anyone answered: it waits for nobody.
    const cancelled = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0002' });
    const answer = await round.pg.skola.invoke(cancelled.thread, cancelled.statusCardId, 'cancelMeeting', { meetingId: cancelled.meetingId, reason: 'Familjen har flyttat' });
    expect(cardTexts(answer.value)).toContain('Mötet är inställt: Familjen har flyttat');
  }, 120_000);
  afterAll(() => round?.stop());

  /** The rows of the person's "mina möten" card: [case reference, where, state, next]. */
  async function myMeetings(party: DemoPartyKey): Promise<string[][]> {
    await round.pg[party].say(ORGS[party].personalChat, 'norrbus mina möten');
    const texts = cardTexts(cardOf(await round.pg[party].nextIn(ORGS[party].personalChat, `${party}'s meetings`)));
    expect(texts[0]).toBe(sv.myMeetings.title);
    const rows: string[][] = [];
    for (let i = 1; i + 4 <= texts.length && texts[i] !== sv.myMeetings.none; i += 4) rows.push(texts.slice(i, i + 4));
    return rows;
  }

  it('lists the open meeting for social services and primary care, with the reply-by date; not the cancelled one', async () => {
    expect((await round.bot.store.meetings.get(open.meetingId))!.value.deadlines.replyBy).toBe('2026-03-05');
    expect(await myMeetings('socialtjanst')).toEqual([['NB-2026-0001', 'Luleå · Väntar på ert svar (Socialtjänst)', 'Väntar på svar', 'Svara senast 5 mars']]);
    expect(await myMeetings('primarvard')).toEqual([['NB-2026-0001', 'Luleå · Väntar på ert svar (Primärvård)', 'Väntar på svar', 'Svara senast 5 mars']]);
  });

  it('does not show the convener a meeting as waiting for her answer', async () => {
    const rows = await myMeetings('skola');
    expect(rows.map((r) => r[1])).toEqual(['Luleå · Kallande (Skola)', 'Luleå · Kallande (Skola)']);
    expect(rows.map((r) => r[0]).sort()).toEqual(['NB-2026-0001', 'NB-2026-0002']);
  });

  it('moves a meeting from "waiting" to "answered" once the party has answered, and says when the reply-by date has passed', async () => {
    const data = { meetingId: open.meetingId, party: 'socialtjanst', answer: 'decline', reason: 'Ingen kontakt med familjen' };
    await round.pg.socialtjanst.invoke(open.summons.socialtjanst.thread, open.summons.socialtjanst.cardId, 'answerSummons', data);
    await expect
      .poll(async () => (await round.bot.store.userMeetings.forUser(ORGS.socialtjanst.currentUser.aadObjectId)).map((l) => l.meetingId), { timeout: 10_000 })
      .toEqual([open.meetingId]);
    expect(await myMeetings('socialtjanst')).toEqual([['NB-2026-0001', 'Luleå · Kallad (Socialtjänst)', 'Väntar på svar', 'Möte senast 16 mars']]);

    // Monday 9 March: primary care has still not answered.
    time.travel('2026-03-09T08:00:00Z');
    expect(await myMeetings('primarvard')).toEqual([['NB-2026-0001', 'Luleå · Väntar på ert svar (Primärvård)', 'Väntar på svar', 'Svarstiden gick ut 5 mars']]);
  });
});
