import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { travellingClock } from '../support/bot';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, inputsOf, type Frame } from '../support/playground';
import { convene, type ConvenedMeeting, registerForum, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Wednesday 1 April 2026, the day before Easter (Långfredagen 3 April, Annandag påsk 6 April). */
const CONVENED = '2026-04-01T10:00:00+02:00';

const REMINDER_TITLE = 'Påminnelse – Norrbusmöte NB-2026-0001';


/**
 * A meeting left alone, with time travel: each reminder on the right working day and hour, across
 * Easter and Midsommar, in the right organisation's thread, never twice; and the buttons work.
 */
describe('reminders through the life of a meeting', () => {
  const time = travellingClock(CONVENED);
  let round: Round;
  let meeting: ConvenedMeeting;
  const threads = { skola: '', socialtjanst: '', primarvard: '' };

  beforeAll(async () => {
    round = await startRound(CONVENED, time.clock);
    await registerForum(round);
    meeting = await convene(round, {
      ...SCENARIO_INTAKE,
      caseReference: 'NB-2026-0001',
      consentDate: '2026-04-01',
      time1Date: '2026-04-16',
      time1Time: '13:00',
      time2Date: '',
      time2Time: '',
    });
    threads.skola = meeting.thread;
    threads.socialtjanst = meeting.summons.socialtjanst.thread;
    threads.primarvard = meeting.summons.primarvard.thread;
  }, 120_000);
  afterAll(() => round?.stop());

  const pass = (at: string) => round.bot.reminders.run(new Date(at));
  const reminderIn = (party: keyof typeof threads, what: string): Promise<Frame> =>
    round.pg[party].next(
      (f) => f.action === 'createMessage' && f.actionConversationId === threads[party] && cardTexts(cardOf(f))[0] === REMINDER_TITLE,
      what,
    );
  const noReminders = () =>
    Object.values(round.pg).every((p) => !p.frames.some((f) => f.action === 'createMessage' && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === REMINDER_TITLE));

  it('posts nothing on a holiday or before the window, then nudges each party 2 working days after the summons, once', async () => {
    expect(await pass('2026-04-06T09:00:00+02:00')).toMatchObject({ outsideWindow: true, posted: 0 }); // Annandag påsk
    expect(await pass('2026-04-11T09:00:00+02:00')).toMatchObject({ outsideWindow: true, posted: 0 }); // a Saturday
    expect(await pass('2026-04-07T07:30:00+02:00')).toMatchObject({ outsideWindow: true, posted: 0 });
    expect(await pass('2026-04-02T16:00:00+02:00')).toMatchObject({ posted: 0 }); // too early: 1 working day
    const nudged = await pass('2026-04-07T09:00:00+02:00');
    expect(nudged).toMatchObject({ posted: 2, delivered: 2 });
    for (const party of ['socialtjanst', 'primarvard'] as const) {
      expect(cardTexts(cardOf(await reminderIn(party, `the nudge to ${party}`)))).toContain(sv.reminder.answerNudge('NB-2026-0001'));
    }
    expect(await pass('2026-04-07T10:00:00+02:00')).toMatchObject({ posted: 0, delivered: 0 });
    expect(noReminders()).toBe(true);
  });

  it('after the reply-by date, nudges the party that has not answered and prompts the convener for a deviation', async () => {
    time.travel('2026-04-08T10:00:00+02:00');
    const soc = meeting.summons.socialtjanst;
    await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerSummons', {
      ...executeData(cardOf(soc.frame), 'answerSummons'),
      answer: 'attend',
      participant: 'Jonas Nilsson, socialsekreterare',
      time: '2026-04-16T13:00',
    });

    expect(await pass('2026-04-09T09:00:00+02:00')).toMatchObject({ posted: 2, delivered: 2 });
    expect(cardTexts(cardOf(await reminderIn('primarvard', 'the overdue nudge')))).toContain(sv.reminder.answerOverdue('NB-2026-0001', '8 april'));
    const prompt = cardOf(await reminderIn('skola', 'the deviation prompt to the convener'));
    expect(cardTexts(prompt)).toEqual(
      expect.arrayContaining([sv.reminder.answerDeviation('Primärvård', '8 april'), 'Kallelse inte besvarad · 1 arbetsdag för sent', sv.reminder.deviationQuestion, 'Skapa avvikelserapport']),
    );
    expect(noReminders()).toBe(true);

    // "Skapa avvikelserapport" opens a stored draft with the facts prefilled.
    time.travel('2026-04-09T09:30:00+02:00');
    const prompted = await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'draftDeviation', executeData(prompt, 'draftDeviation'));
    // The prompt keeps its buttons: the draft comes as a form of its own below it.
    expect(prompted.value).toBe(sv.deviation.draftPosted);
    const form = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === threads.skola && cardTexts(cardOf(f))[0] === sv.deviation.draftSaved, 'the draft form');
    const promptFrame = { value: cardOf(form) };
    expect(cardTexts(promptFrame.value)[0]).toBe(sv.deviation.draftSaved);
    // What is known is written for the reporter already: the kind, the deadline and how late.
    expect(inputsOf(promptFrame.value).whatHappened).toBe(sv.deviation.draftWhatHappened('Kallelse inte besvarad', '8 april', '1 arbetsdag för sent'));
    expect(await round.bot.store.deviations.forMunicipality('Luleå')).toEqual([
      expect.objectContaining({ kind: 'summonsNotAnswered', party: 'primarvard', deadline: '2026-04-08', daysLate: 1, caseReference: 'NB-2026-0001', status: 'draft' }),
    ]);

    // The draft form, completed and sent, reaches the forum and the deviating party.
    const sent = await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'submitDeviation', {
      ...executeData(promptFrame.value, 'submitDeviation'),
      municipality: 'Luleå',
      caseReference: 'NB-2026-0001',
      party: 'primarvard',
      kind: 'summonsNotAnswered',
      whatHappened: 'Kallelsen besvarades inte inom svarstiden.',
    });
    // The draft becomes the reporter's own copy of the report.
    expect(cardTexts(sent.value)[0]).toBe('Avvikelserapport AV-2026-0001');
    expect(JSON.stringify(sent.value)).toContain(sv.deviation.registered('AV-2026-0001'));
    const isReport = (f: Frame) => !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Avvikelserapport AV-2026-0001';
    await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.general && isReport(f), 'the report in the forum');
    await round.pg.primarvard.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.primarvard.intakeChannel && isReport(f), 'the report in primary care');
    expect((await round.bot.store.deviations.forMunicipality('Luleå'))[0]).toMatchObject({ status: 'new', reference: 'AV-2026-0001', deadline: '2026-04-08' });
  });

  it('drops what no longer applies once everyone has answered and the meeting is fixed', async () => {
    time.travel('2026-04-10T10:00:00+02:00');
    const pv = meeting.summons.primarvard;
    await round.pg.primarvard.invoke(pv.thread, pv.cardId, 'answerSummons', {
      ...executeData(cardOf(pv.frame), 'answerSummons'),
      answer: 'attend',
      participant: 'Dr. Berg',
      time: '2026-04-16T13:00',
    });
    await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'fixMeeting', { meetingId: meeting.meetingId, time: '2026-04-16T13:00' });
    expect(await pass('2026-04-20T09:00:00+02:00')).toMatchObject({ posted: 0 });
  });

  it('reminds before a commitment\'s follow-up across Midsommar, asks on the day, and prompts a deviation when not done', async () => {
    time.travel('2026-04-16T14:00:00+02:00');
    await round.pg.skola.say(threads.skola, 'åtagande Skolan ansvarar för anpassad studiegång, 3 dagar/vecka, utförs av specialpedagog, uppföljning 22 juni', { mention: true });
    const confirm = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === threads.skola && cardTexts(cardOf(f))[0] === sv.commitment.confirmTitle, 'the confirmation card');
    await round.pg.skola.invoke(threads.skola, confirm.message!.messageId, 'saveCommitment', {
      ...executeData(cardOf(confirm), 'saveCommitment'),
      party: 'skola',
      intervention: 'anpassad studiegång',
      scope: '3 dagar/vecka',
      performer: 'specialpedagog',
      followUpDate: '2026-06-22',
    });
    await expect.poll(async () => (await round.bot.store.meetings.get(meeting.meetingId))?.value.reminderRefs.some((r) => r.startsWith('2026-06-16|')), { timeout: 10_000 }).toBe(true);

    expect(await pass('2026-06-15T09:00:00+02:00')).toMatchObject({ posted: 0 });
    expect(await pass('2026-06-16T09:00:00+02:00')).toMatchObject({ posted: 1 }); // 3 working days before Monday 22 June
    expect(cardTexts(cardOf(await reminderIn('skola', 'the upcoming follow-up')))).toContain(sv.reminder.commitmentUpcoming('anpassad studiegång', '22 juni'));
    expect(await pass('2026-06-19T09:00:00+02:00')).toMatchObject({ outsideWindow: true }); // Midsommarafton

    expect(await pass('2026-06-22T08:00:00+02:00')).toMatchObject({ posted: 1 });
    const check = cardOf(await reminderIn('skola', 'Är insatsen genomförd?'));
    expect(cardTexts(check)).toEqual(expect.arrayContaining([sv.reminder.commitmentCheck('anpassad studiegång'), 'Genomförd', 'Pågår', 'Ej genomförd']));

    time.travel('2026-06-22T09:00:00+02:00');
    const answered = await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'commitmentOutcome', { ...executeData(check, 'commitmentOutcome'), outcome: 'notDone', reason: 'Specialpedagogen är sjukskriven' });
    expect(cardTexts(answered.value)[0]).toBe(sv.reminder.outcomeSaved('Ej genomförd'));

    expect(await pass('2026-06-22T10:00:00+02:00')).toMatchObject({ posted: 1 });
    const deviation = cardTexts(cardOf(await reminderIn('skola', 'the deviation prompt for the commitment')));
    expect(deviation).toEqual(expect.arrayContaining([sv.reminder.commitmentDeviation('anpassad studiegång', 'Skola'), sv.reminder.deviationQuestion]));
    expect(await pass('2026-06-29T09:00:00+02:00')).toMatchObject({ posted: 0 });
    expect(noReminders()).toBe(true);

    const sent = (await round.bot.store.audit.listMonth('2026-06')).filter((e) => e.action === 'reminderSent').map((e) => e.details.kind);
    expect(sent.sort()).toEqual(['commitmentCheck', 'commitmentDeviation', 'commitmentUpcoming']);
  });

  it('drops every pending reminder when the meeting is cancelled', async () => {
    time.travel('2026-06-23T10:00:00+02:00');
    await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'setPlan', { meetingId: meeting.meetingId, followUpDate: '2026-09-30', followUpConvener: 'skola' });
    await expect.poll(async () => (await round.bot.store.meetings.get(meeting.meetingId))?.value.reminderRefs.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await round.pg.skola.invoke(threads.skola, meeting.statusCardId, 'cancelMeeting', { meetingId: meeting.meetingId, reason: 'Familjen har flyttat' });
    expect((await round.bot.store.meetings.get(meeting.meetingId))!.value.reminderRefs).toEqual([]);
    expect(await pass('2026-09-16T09:00:00+02:00')).toMatchObject({ posted: 0 });
  });

  it('stops every reminder and tells the parties when consent is withdrawn', async () => {
    time.travel('2026-06-24T10:00:00+02:00');
    const second = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0002', consentDate: '2026-06-24', time1Date: '2026-07-01', time1Time: '10:00', time2Date: '', time2Time: '' });
    expect((await round.bot.store.meetings.get(second.meetingId))!.value.reminderRefs.length).toBeGreaterThan(0);
    const withdrawn = await round.pg.skola.invoke(second.thread, second.statusCardId, 'withdrawConsent', { meetingId: second.meetingId });
    expect(cardTexts(withdrawn.value)).toContain(sv.meeting.cancelled(sv.meeting.consentWithdrawn));
    // Its reminders are gone with it (and, once the parties are told, every detail of the case).
    expect((await round.bot.store.meetings.get(second.meetingId))?.value.reminderRefs ?? []).toEqual([]);
    const notice = sv.meeting.noticeCancelled('NB-2026-0002', sv.meeting.consentWithdrawn);
    for (const party of ['socialtjanst', 'primarvard'] as const) {
      await round.pg[party].next((f) => f.action === 'createMessage' && f.actionConversationId === second.summons[party].thread && f.message?.text === notice, `the notice to ${party}`);
    }
    expect(await pass('2026-06-26T09:00:00+02:00')).toMatchObject({ posted: 0 });
    await expect.poll(async () => round.bot.store.meetings.get(second.meetingId), { timeout: 15_000 }).toBeUndefined();
    const audit = (await round.bot.store.audit.listMonth('2026-06')).filter((e) => e.key === second.meetingId).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['consentWithdrawn', 'caseErased']));
  });
});
