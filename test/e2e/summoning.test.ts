import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { travellingClock } from '../support/bot';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, type Frame } from '../support/playground';
import { convene, type ConvenedMeeting, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026: the summons go out; reply by Thursday 5 March. */
const START = '2026-03-02T10:00:00+01:00';
const THU_12 = 'torsdag 12 mars 13:00';
const FRI_13 = 'fredag 13 mars 09:00';
const MON_16 = 'måndag 16 mars 10:00';
const WED_18 = 'onsdag 18 mars 14:00';

/**
 * Times that hold: the status card shows per time who can come; a time not every party chose puts
 * "Ny tid: passar den?" on their cards, open until they answer; each party keeps its own answer in
 * view; and from the reply-by day the convener can fix the meeting without a silent party.
 */
describe('times that hold, and summoning as the agreement allows', () => {
  const time = travellingClock(START);
  let round: Round;

  beforeAll(async () => {
    round = await startRound(START, time.clock);
  }, 120_000);
  afterAll(async () => {
    await round?.stop();
  });

  const summonsUpdate = (meeting: ConvenedMeeting, party: 'socialtjanst' | 'primarvard', seen: string) =>
    round.pg[party].next((f: Frame) => f.action === 'updateMessage' && meeting.summons[party].thread.split(';')[0] === f.actionConversationId && cardTexts(cardOf(f)).includes(seen), `${party}'s card shows "${seen}"`);

  it('asks the parties that did not choose the fixed time, and shows the convener who has answered', async () => {
    const meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0001' });
    const { socialtjanst: soc, primarvard: pv } = meeting.summons;
    // Social services can come at either proposed time; primary care proposes Monday 16 March instead.
    const attended = await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerSummons', {
      ...executeData(cardOf(soc.frame), 'answerSummons'),
      answer: 'attend',
      participant: 'Jonas Nilsson, socialsekreterare',
      time: '2026-03-12T13:00,2026-03-13T09:00',
    });
    expect(cardTexts(attended.value)).toContain(`Deltar: Jonas Nilsson, socialsekreterare, ${THU_12} eller ${FRI_13}`);
    const proposed = await round.pg.primarvard.invoke(pv.thread, pv.cardId, 'answerSummons', {
      ...executeData(cardOf(pv.frame), 'answerSummons'),
      answer: 'propose',
      altDate: '2026-03-16',
      altTime: '10:00',
      comment: '',
    });
    expect(cardTexts(proposed.value)).toContain(`Föreslår annan tid: ${MON_16}`);

    // Not "Alla parter har svarat" as if a time suited everyone: per time, who can come.
    const status = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '' });
    const texts = cardTexts(status.value);
    expect(texts).toEqual(expect.arrayContaining([sv.meeting.availabilityTitle, sv.meeting.noCommonTime, sv.meeting.chooseTime]));
    expect(texts).not.toContain(sv.meeting.allAnswered);
    expect(JSON.stringify(status.value)).toContain(`"title":"${THU_12}","value":"passar Socialtjänst"`);
    expect(JSON.stringify(status.value)).toContain(`"title":"${MON_16}","value":"passar Primärvård"`);
    expect(JSON.stringify(status.value)).toContain(sv.meeting.choiceFitsNot(MON_16, 'Socialtjänst'));

    // Karin fixes primary care's time: social services never chose it, so its card asks.
    const fixed = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '2026-03-16T10:00' });
    expect(cardTexts(fixed.value)).toEqual(expect.arrayContaining([sv.meeting.fixed(MON_16), sv.meeting.fixedOpen('Socialtjänst'), sv.meeting.fixedTimeOpen, sv.meeting.fixedTimeFits]));
    const asked = cardOf(await summonsUpdate(meeting, 'socialtjanst', sv.meeting.askTime(MON_16)));
    // Its own answer stays in view after the meeting is fixed.
    expect(cardTexts(asked)).toContain(`${sv.meeting.ownAnswer(`Deltar: Jonas Nilsson, socialsekreterare, ${THU_12} eller ${FRI_13}`)} Besvarat av Jonas Nilsson 2 mars 10:00`);
    const notice = await round.pg.socialtjanst.next((f) => f.action === 'createMessage' && f.actionConversationId === soc.thread && !!f.message?.text?.includes('är bekräftat'), 'the notice to social services');
    expect(notice.message!.text).toContain(sv.meeting.noticeAsked);
    const pvCard = cardOf(await summonsUpdate(meeting, 'primarvard', sv.meeting.fixed(MON_16)));
    expect(cardTexts(pvCard)).not.toContain(sv.meeting.askTime(MON_16));

    // "Nej, den passar inte": Karin sees it and moves the meeting to a time she sets.
    const no = await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerFixedTime', executeData(asked, 'answerFixedTime', 1));
    expect(cardTexts(no.value)).toContain(sv.meeting.saidNotFit(MON_16));
    expect((await round.bot.store.meetings.get(meeting.meetingId))!.value.timeAnswers?.socialtjanst).toMatchObject({ time: '2026-03-16T10:00', fits: false });
    const moved = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '', otherDate: '2026-03-18', otherTime: '14:00' });
    expect(cardTexts(moved.value)).toEqual(expect.arrayContaining([sv.meeting.fixed(WED_18), sv.meeting.fixedOpen('Socialtjänst, Primärvård')]));
    const again = cardOf(await summonsUpdate(meeting, 'socialtjanst', sv.meeting.askTime(WED_18)));
    const pvAsked = cardOf(await summonsUpdate(meeting, 'primarvard', sv.meeting.askTime(WED_18)));

    // A stale card (the earlier time) changes nothing.
    const stale = await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerFixedTime', executeData(asked, 'answerFixedTime', 0));
    expect(cardTexts(stale.value)).toContain(sv.meeting.staleTime);
    await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerFixedTime', executeData(again, 'answerFixedTime', 0));
    await round.pg.primarvard.invoke(pv.thread, pv.cardId, 'answerFixedTime', executeData(pvAsked, 'answerFixedTime', 0));
    const settled = await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f)).filter((t) => t === sv.meeting.fixedTimeFits).length === 2,
      'the status card: the time suits both',
    );
    expect(cardTexts(cardOf(settled)).some((t) => t.startsWith('Väntar på svar om tiden'))).toBe(false);
  }, 120_000);

  it('fixes without a party that has not answered only from the reply-by day, and prompts a deviation about it', async () => {
    time.travel('2026-03-02T11:00:00+01:00');
    const meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0002' });
    const { socialtjanst: soc } = meeting.summons;
    const answered = await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerSummons', {
      ...executeData(cardOf(soc.frame), 'answerSummons'),
      answer: 'attend',
      participant: 'Jonas Nilsson',
      time: '2026-03-12T13:00',
    });
    const early = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '2026-03-12T13:00' });
    expect(cardTexts(early.value)).toContain(sv.meeting.notAllAnswered);
    expect(JSON.stringify(early.value)).not.toContain('"verb":"fixMeeting"');

    // Thursday 5 March, the reply-by day: primary care is still silent.
    time.travel('2026-03-05T09:00:00+01:00');
    // Karin opens the status card: Teams asks for it as it stands today (Universal Actions refresh).
    // Whoever answered gets the card kept current for them.
    expect((answered.value as { refresh?: unknown }).refresh).toEqual({
      action: { type: 'Action.Execute', title: sv.meeting.refresh, verb: 'refreshCard', data: { meetingId: meeting.meetingId, view: 'summons', party: 'socialtjanst' } },
      userIds: [ORGS.socialtjanst.currentUser.id],
    });
    const offered = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'refreshCard', { meetingId: meeting.meetingId, view: 'status' });
    expect(cardTexts(offered.value)).toContain(sv.meeting.withoutSilent('Primärvård'));
    expect(executeData(offered.value, 'fixMeeting')).toEqual({ meetingId: meeting.meetingId });
    // The same request from a party's thread, or for another party's card, gets nothing.
    expect((await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'refreshCard', { meetingId: meeting.meetingId, view: 'status' })).value).toBe(sv.meeting.notYourThread);
    expect((await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'refreshCard', { meetingId: meeting.meetingId, view: 'summons', party: 'primarvard' })).value).toBe(sv.meeting.notYourThread);
    const fixed = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '2026-03-12T13:00' });
    expect(cardTexts(fixed.value)).toEqual(expect.arrayContaining([sv.meeting.fixed(THU_12), sv.meeting.fixedOpen('Primärvård')]));
    expect((await round.bot.store.meetings.get(meeting.meetingId))!.value).toMatchObject({ state: 'fixed', fixedTime: '2026-03-12T13:00' });
    // The silent party is asked whether the time suits it, and the convener is prompted to report a deviation.
    await summonsUpdate(meeting, 'primarvard', sv.meeting.askTime(THU_12));
    await round.bot.reminders.run(new Date('2026-03-06T09:00:00+01:00'));
    const prompt = await round.pg.skola.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f)).includes(sv.reminder.answerDeviation('Primärvård', '5 mars')),
      'the deviation prompt about primary care',
    );
    expect(cardTexts(cardOf(prompt))).toContain('Skapa avvikelserapport');
  }, 120_000);

  it('summons a party after the start, and summons again a party that declined', async () => {
    time.travel('2026-03-02T12:00:00+01:00');
    const post = await round.pg.skola.say(ORGS.skola.intakeChannel, 'nytt möte', { mention: true });
    const thread = post.postConversationId!;
    const intakeCard = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
    const statusCardId = intakeCard.message!.messageId;
    await round.pg.skola.invoke(thread, statusCardId, 'submitIntake', { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0003', summoned: 'socialtjanst', consentParties: 'socialtjanst' });
    const meetingId = (await round.bot.store.caseReferences.find('Luleå', 'NB-2026-0003'))!.value.meetingId;

    // Without confirming the consent covers primary care, nothing is sent.
    const unconfirmed = await round.pg.skola.invoke(thread, statusCardId, 'addParty', { meetingId, addParty: 'primarvard', addPartyConsent: 'false' });
    expect(cardTexts(unconfirmed.value)).toContain(sv.meeting.addPartyRequired);
    const forged = await round.pg.skola.invoke(thread, statusCardId, 'addParty', { meetingId, addParty: 'skola', addPartyConsent: 'true' });
    expect(cardTexts(forged.value)).toContain(sv.meeting.addPartyRequired);
    expect((await round.bot.store.meetings.get(meetingId))!.value.intake.summoned).toEqual(['socialtjanst']);

    const added = await round.pg.skola.invoke(thread, statusCardId, 'addParty', { meetingId, addParty: 'primarvard', addPartyConsent: 'true' });
    expect(cardTexts(added.value)).toContain('Primärvård');
    const summons = await round.pg.primarvard.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.primarvard.intakeChannel && cardTexts(cardOf(f))[0] === 'Kallelse till Norrbusmöte NB-2026-0003',
      'the summons to primary care, added later',
    );
    expect((await round.bot.store.meetings.get(meetingId))!.value.intake).toMatchObject({ summoned: ['socialtjanst', 'primarvard'], consent: { parties: ['socialtjanst', 'primarvard'] } });

    // Primary care declines at once, before the outbox has recorded where its summons went (as if
    // the record were slower than the click): the card is the root of a thread in its own channel.
    for (let i = 0; i < 200 && !(await round.bot.store.meetings.get(meetingId))!.value.summons.primarvard?.threadId; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await round.bot.store.meetings.change(meetingId, (m) => ({ ...m, summons: { ...m.summons, primarvard: { ...m.summons.primarvard!, threadId: undefined } } }));
    const pvThread = summons.message!.postConversationId!;
    const pvCardId = summons.message!.messageId;
    const declined = await round.pg.primarvard.invoke(pvThread, pvCardId, 'answerSummons', { ...executeData(cardOf(summons), 'answerSummons'), answer: 'decline', reason: 'Ingen kontakt med familjen' });
    expect(cardTexts(declined.value)).toContain(sv.meeting.declining('Ingen kontakt med familjen'));
    await round.bot.store.meetings.change(meetingId, (m) => ({ ...m, summons: { ...m.summons, primarvard: { ...m.summons.primarvard!, threadId: pvThread } } }));
    const status = await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === thread && cardTexts(cardOf(f)).includes(sv.meeting.resummon),
      'the status card offers "Kalla igen"',
    );
    const again = await round.pg.skola.invoke(thread, statusCardId, 'resummonParty', executeData(cardOf(status), 'resummonParty'));
    expect(cardTexts(again.value)).toContain(sv.meeting.missing('Socialtjänst, Primärvård'));
    await round.pg.primarvard.next((f) => f.action === 'createMessage' && f.actionConversationId === pvThread && f.message?.text === sv.meeting.noticeResummoned('NB-2026-0003'), 'the notice in primary care');
    const reopened = (await round.pg.primarvard.invoke(pvThread, pvCardId, 'refreshCard', { meetingId, view: 'summons', party: 'primarvard' })).value;
    expect(cardTexts(reopened)).toEqual(expect.arrayContaining([sv.meeting.waiting, sv.meeting.attend]));
    expect(cardTexts(reopened).some((t) => t.startsWith('Kan inte delta:'))).toBe(false);
    // Summoning again a party that has not declined changes nothing.
    const notDeclined = await round.pg.skola.invoke(thread, statusCardId, 'resummonParty', { meetingId, party: 'socialtjanst' });
    expect(cardTexts(notDeclined.value)).toContain(sv.meeting.resummonOnlyDeclined);
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meetingId).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['partyAdded', 'partyResummoned']));
  }, 120_000);
});
