import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/domain/calendar';
import { sv } from '../../src/texts/sv';
import { travellingClock } from '../support/bot';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, inputsOf, type Frame } from '../support/playground';
import { convene, type ConvenedMeeting, registerGeneralChannel, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026: the summons go out; the meeting is Thursday 12 March 13:00. */
const START = '2026-03-02T10:00:00+01:00';
const REF = 'NB-2026-0001';
const REMINDER_TITLE = `Påminnelse – Norrbusmöte ${REF}`;
const FOLLOW_UP = '2026-05-04';

/**
 * The agreements' rules beyond the meeting, in the three organisations' own Teams: who took part
 * ("Mötet hölls"), the samordnare and planansvarig of a SIP, a placement outside the home with its
 * health examination and cost sharing, and a follow-up meeting convened by specialist care.
 */
describe('the plan as the agreements ask: SIP roles, placement, the young person\'s part, the follow-up convener', () => {
  const time = travellingClock(START);
  let round: Round;
  let meeting: ConvenedMeeting;
  let specialistThread = '';
  let specialistCard: Frame;

  beforeAll(async () => {
    round = await startRound(START, time.clock);
    // Specialist care (BUP) of Region Norrbotten has its own channel: the Region team's General channel.
    await registerGeneralChannel(round, 'primarvard', 'specialistvard');
    meeting = await convene(round, {
      ...SCENARIO_INTAKE,
      caseReference: REF,
      summoned: 'socialtjanst,primarvard,specialistvard',
      consentParties: 'socialtjanst,primarvard,specialistvard',
      time2Date: '',
      time2Time: '',
      placedOutsideHome: 'true',
    });
    specialistCard = await round.pg.primarvard.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.primarvard.general && cardTexts(cardOf(f))[0]?.startsWith('Kallelse till') === true,
      'the summons to specialist care',
    );
    specialistThread = specialistCard.message!.postConversationId!;
    const answers: [keyof Round['pg'], string, string, Frame][] = [
      ['socialtjanst', meeting.summons.socialtjanst.thread, meeting.summons.socialtjanst.cardId, meeting.summons.socialtjanst.frame],
      ['primarvard', meeting.summons.primarvard.thread, meeting.summons.primarvard.cardId, meeting.summons.primarvard.frame],
      ['primarvard', specialistThread, specialistCard.message!.messageId, specialistCard],
    ];
    for (const [pg, thread, cardId, frame] of answers) {
      await round.pg[pg].invoke(thread, cardId, 'answerSummons', { ...executeData(cardOf(frame), 'answerSummons'), answer: 'attend', participant: 'Med mandat', time: '2026-03-12T13:00' });
    }
    const fixed = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '2026-03-12T13:00' });
    expect(cardTexts(fixed.value)).toContain(sv.meeting.fixed('torsdag 12 mars 13:00'));
  }, 180_000);
  afterAll(() => round?.stop());

  const stored = async () => (await round.bot.store.meetings.get(meeting.meetingId))!.value;
  const pass = (at: string) => round.bot.reminders.run(new Date(at));
  const reminderIn = (pg: keyof Round['pg'], thread: string, what: string): Promise<Frame> =>
    round.pg[pg].next((f) => f.action === 'createMessage' && f.actionConversationId === thread && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === REMINDER_TITLE, what);

  it('records at the meeting who took part, the young person and each guardian, and whether the young person\'s view was recorded', async () => {
    const held = { meetingId: meeting.meetingId, heldParties: 'skola,socialtjanst,specialistvard', youngPerson: 'true', guardian1: 'yes', guardian2: 'no', viewRecorded: 'true' };
    const early = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'meetingHeld', held);
    expect(cardTexts(early.value)).toContain(sv.meeting.heldNotYet);
    expect((await stored()).held).toBeUndefined();

    time.travel('2026-03-12T15:00:00+01:00');
    const forged = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'meetingHeld', { ...held, heldParties: 'skola,forum' });
    expect(cardTexts(forged.value)).toContain(sv.meeting.heldNotAParty);
    const recorded = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'meetingHeld', held);
    expect(cardTexts(recorded.value)).toContain(sv.meeting.heldSummary('Skola, Socialtjänst, Specialistvård', 'ja', '1 av 2 deltog', 'ja'));
    expect((await stored()).held).toMatchObject({ parties: ['skola', 'socialtjanst', 'specialistvard'], youngPerson: true, guardians: [true, false], viewRecorded: true });
    // Only the convener's thread records it.
    const soc = meeting.summons.socialtjanst;
    expect((await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'meetingHeld', held)).value).toBe(sv.meeting.notYourThread);
  });

  it('asks for a planansvarig when the school is samordnare, and states the roles, the SIP and the placement on the plan', async () => {
    const settings = {
      meetingId: meeting.meetingId,
      coordinator: 'skola',
      coordinatorName: 'Karin, kurator',
      planOwner: '',
      planOwnerName: '',
      sip: 'true',
      followUpDate: FOLLOW_UP,
      followUpConvener: 'specialistvard',
      placed: 'true',
      placementDecidedOn: '2026-03-12',
      placementAcute: 'true',
      healthExaminationBy: '2026-03-20',
    };
    const refused = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'setPlan', settings);
    expect(cardTexts(refused.value)).toContain(sv.plan.planOwnerRequired('skola'));
    expect((await stored()).plan.coordinator).toBeUndefined();
    const withPnr = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'setPlan', { ...settings, planOwner: 'socialtjanst', planOwnerName: 'Jonas 120304-1234' });
    expect(cardTexts(withPnr.value)).toContain(sv.commitment.personnummer);

    const saved = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'setPlan', { ...settings, planOwner: 'socialtjanst', planOwnerName: 'Jonas, socialsekreterare' });
    const texts = cardTexts(saved.value);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Skola – Karin, kurator',
        'Socialtjänst – Jonas, socialsekreterare',
        sv.plan.sip,
        sv.plan.placementAcute,
        sv.plan.healthExaminationDue('20 mars'),
        sv.plan.costSharingDue('26 mars'),
        '4 maj, kallas av Specialistvård',
      ]),
    );
    expect((await stored()).plan).toMatchObject({ coordinator: 'skola', planOwner: 'socialtjanst', sip: true, placement: { acute: true, decidedOn: '2026-03-12', healthExaminationBy: '2026-03-20' } });
    // The convener's thread has no "Hälsoundersökningen är genomförd": that is primary care's.
    expect(texts).not.toContain(sv.plan.markHealthExamination);
    expect((await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'placementStep', { meetingId: meeting.meetingId, step: 'healthExamination' })).value).toBe(
      sv.plan.placementStepNotYours('Primärvård'),
    );
  });

  it('reminds primary care of the health examination, which it marks done in its own thread', async () => {
    const pvThread = meeting.summons.primarvard.thread;
    expect(await pass('2026-03-17T09:00:00+01:00')).toMatchObject({ posted: 1 });
    expect(cardTexts(cardOf(await reminderIn('primarvard', pvThread, 'the health examination reminder')))).toContain(sv.reminder.healthExaminationUpcoming('20 mars'));
    time.travel('2026-03-18T10:00:00+01:00');
    const done = await round.pg.primarvard.invoke(pvThread, meeting.summons.primarvard.cardId, 'placementStep', { meetingId: meeting.meetingId, step: 'healthExamination' });
    expect(cardTexts(done.value)).toContain(sv.plan.healthExaminationDone('18 mars'));
    expect((await stored()).plan.placement?.healthExaminationDoneOn).toBe('2026-03-18');
    // Done: no deviation prompt about it when its day has passed.
    expect(await pass('2026-03-23T09:00:00+01:00')).toMatchObject({ posted: 1 }); // the cost sharing reminder, to social services
    const soc = meeting.summons.socialtjanst.thread;
    expect(cardTexts(cardOf(await reminderIn('socialtjanst', soc, 'the cost sharing reminder')))).toContain(sv.reminder.costSharingUpcoming('26 mars'));
  });

  it('prompts the convener for a deviation report when the cost sharing is not settled within ten working days', async () => {
    expect(await pass('2026-03-27T09:00:00+01:00')).toMatchObject({ posted: 1 });
    const prompt = cardOf(await reminderIn('skola', meeting.thread, 'the cost sharing deviation prompt'));
    expect(cardTexts(prompt)).toEqual(expect.arrayContaining([sv.reminder.costSharingDeviation('26 mars'), sv.reminder.deviationQuestion]));
    time.travel('2026-03-27T10:00:00+01:00');
    const drafted = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'draftDeviation', executeData(prompt, 'draftDeviation'));
    expect(drafted.value).toBe(sv.deviation.draftPosted);
    const draft = (await round.bot.store.deviations.forMunicipality('Luleå')).find((d) => d.meetingId === meeting.meetingId);
    expect(draft).toMatchObject({ kind: 'costSharingNotSettled', deadline: '2026-03-26', daysLate: 1, status: 'draft' });
  });

  it('reminds specialist care, which the plan names, to convene the follow-up meeting, and gives it the intake card in its own channel', async () => {
    const due = addWorkingDays(FOLLOW_UP, -10);
    expect(await pass(`${due}T09:00:00+02:00`)).toMatchObject({ posted: 1 });
    const reminderFrame = await reminderIn('primarvard', specialistThread, 'the follow-up reminder to specialist care');
    const reminder = cardOf(reminderFrame);
    const reminderId = reminderFrame.message!.messageId;
    expect(cardTexts(reminder)).toContain(sv.reminder.followUpMeeting('4 maj'));
    time.travel(`${due}T10:00:00+02:00`);
    // The school cannot take the follow-up from specialist care.
    expect((await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'startFollowUp', { meetingId: meeting.meetingId })).value).toBe(sv.commitment.onlyConvener);
    // "Kalla till uppföljande möte" turns the reminder into the intake card, with specialist care as the convener.
    const intake = await round.pg.primarvard.invoke(specialistThread, reminderId, 'startFollowUp', executeData(reminder, 'startFollowUp'));
    const prefilled = inputsOf(intake.value);
    expect(prefilled).toMatchObject({ convener: 'specialistvard', summoned: 'skola,socialtjanst,primarvard', consentParties: 'skola,socialtjanst,primarvard', time1Date: FOLLOW_UP, age: '14' });
    // Specialist care fills in what is left (the time, the confirmation of consent) and sends it, as the card would.
    const submitted = await round.pg.primarvard.invoke(specialistThread, reminderId, 'submitIntake', {
      ...prefilled,
      ...executeData(intake.value, 'submitIntake'),
      time1Time: '10:00',
      consentConfirmed: 'true',
    });
    expect(cardTexts(submitted.value)[0]).toBe(sv.meeting.statusTitle(prefilled.caseReference));
    const followUp = (await round.bot.store.caseReferences.find('Luleå', prefilled.caseReference))!.value.meetingId;
    expect((await round.bot.store.meetings.get(followUp))!.value).toMatchObject({ followsUp: meeting.meetingId, intake: { convener: 'specialistvard' } });
  });
});
