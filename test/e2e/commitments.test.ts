import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { ORGS, type DemoPartyKey } from '../support/organisations';
import { cardOf, cardTexts, executeData, type Frame, inputsOf } from '../support/playground';
import { convene, startRound, type ConvenedMeeting, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Thursday 12 March 2026, 13:00 in Luleå: the Norrbusmöte itself (SCENARIO.md, step 7). */
const MEETING_DAY = '2026-03-12T12:00:00Z';



describe('commitments and the plan, in the meeting\'s threads', () => {
  let round: Round;
  let meeting: ConvenedMeeting;
  const threads = {} as Record<DemoPartyKey, string>;

  beforeAll(async () => {
    round = await startRound(MEETING_DAY);
    meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0007', time1Date: '2026-03-13', time1Time: '09:00', time2Date: '', time2Time: '' });
    threads.skola = meeting.thread;
    threads.socialtjanst = meeting.summons.socialtjanst.thread;
    threads.primarvard = meeting.summons.primarvard.thread;
  }, 120_000);
  afterAll(() => round?.stop());

  /** Someone @mentions the bot in a thread of the meeting; returns the bot's reply there. */
  async function sayInThread(party: DemoPartyKey, text: string): Promise<Frame> {
    await round.pg[party].say(threads[party], text, { mention: true });
    return round.pg[party].next((f) => f.action === 'createMessage' && f.actionConversationId === threads[party], `a reply to "${text}"`);
  }

  /** The plan card in a party's thread, as last posted or updated, once it shows `expected`. */
  function planIn(party: DemoPartyKey, expected: string): Promise<Frame> {
    return round.pg[party].next(
      (f) => f.actionConversationId === threads[party] && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Plan för Norrbusmöte NB-2026-0007' && cardTexts(cardOf(f)).includes(expected),
      `the plan in ${party}'s thread showing "${expected}"`,
    );
  }

  it('turns Karin\'s sentence into a confirmation card, saves it corrected, and shows the plan in all three threads', async () => {
    const reply = await sayInThread('skola', 'åtagande Skolan ansvarar för anpassad studiegång, 3 dagar/vecka i liten grupp, utförs av specialpedagog, uppföljning v. 17');
    const confirm = cardOf(reply);
    expect(cardTexts(confirm)[0]).toBe(sv.commitment.confirmTitle);
    expect(inputsOf(confirm)).toEqual({
      party: 'skola',
      intervention: 'anpassad studiegång',
      scope: '3 dagar/vecka i liten grupp',
      performer: 'specialpedagog',
      followUpDate: '2026-04-20',
    });
    expect(await round.bot.store.commitments.forMeeting(meeting.meetingId)).toEqual([]);

    const saved = await round.pg.skola.invoke(threads.skola, reply.message!.messageId, 'saveCommitment', {
      ...executeData(confirm, 'saveCommitment'),
      ...inputsOf(confirm),
      performer: 'specialpedagog, två lärare',
    });
    expect(cardTexts(saved.value)[0]).toBe(sv.commitment.saved('NB-2026-0007'));
    // Saved twice (a double click) is still one commitment.
    await round.pg.skola.invoke(threads.skola, reply.message!.messageId, 'saveCommitment', { ...executeData(confirm, 'saveCommitment'), ...inputsOf(confirm) });

    for (const party of ['skola', 'socialtjanst', 'primarvard'] as const) {
      const plan = cardTexts(cardOf(await planIn(party, 'anpassad studiegång')));
      expect(plan).toEqual(expect.arrayContaining(['Skola', 'specialpedagog, två lärare', '3 dagar/vecka i liten grupp', '20 april', 'Planerad']));
    }
    const stored = await round.bot.store.commitments.forMeeting(meeting.meetingId);
    expect(stored.map((c) => [c.party, c.intervention, c.performer, c.followUpDate])).toEqual([['skola', 'anpassad studiegång', 'specialpedagog, två lärare', '2026-04-20']]);
  });

  it('lets social services record their own commitment, but not the school\'s', async () => {
    const reply = await sayInThread('socialtjanst', 'åtagande Soc: föräldrastöd enligt ABC, 4 träffar, familjebehandlare, uppföljning 23 april');
    const confirm = cardOf(reply);
    expect(inputsOf(confirm)).toMatchObject({ party: 'socialtjanst', followUpDate: '2026-04-23' });
    const data = { ...executeData(confirm, 'saveCommitment'), ...inputsOf(confirm) };

    const forSchool = await round.pg.socialtjanst.invoke(threads.socialtjanst, reply.message!.messageId, 'saveCommitment', { ...data, party: 'skola' });
    expect(cardTexts(forSchool.value)).toContain(sv.commitment.onlyOwnParty('Socialtjänst'));

    await round.pg.socialtjanst.invoke(threads.socialtjanst, reply.message!.messageId, 'saveCommitment', data);
    for (const party of ['skola', 'socialtjanst', 'primarvard'] as const) {
      const plan = cardTexts(cardOf(await planIn(party, data.intervention as string)));
      expect(plan).toEqual(expect.arrayContaining(['Skola', 'Socialtjänst', 'anpassad studiegång']));
    }
    expect((await round.bot.store.commitments.forMeeting(meeting.meetingId)).map((c) => c.party)).toEqual(['skola', 'socialtjanst']);
  });

  it('refuses a commitment with a personnummer without reading or storing it', async () => {
    const reply = await sayInThread('skola', 'åtagande Skolan ansvarar för extra stöd för 121212-1212, uppföljning 1 april');
    expect(reply.message?.text).toBe(sv.commitment.refusedPersonnummer);
    expect(await round.bot.store.commitments.forMeeting(meeting.meetingId)).toHaveLength(2);
  });

  it('asks for the meeting\'s thread when a commitment is written elsewhere', async () => {
    await round.pg.skola.say(ORGS.skola.personalChat, 'norrbus åtagande Skolan ansvarar för läxhjälp');
    expect((await round.pg.skola.nextIn(ORGS.skola.personalChat, 'the answer')).message?.text).toBe(sv.commitment.noMeetingHere);
  });

  it('lets the convener name the coordinator and the follow-up meeting, edit and withdraw; parties mark their own done', async () => {
    // "norrbus plan" answers with a snapshot: no buttons, and it says when it was taken.
    const snapshot = cardOf(await sayInThread('skola', 'plan'));
    expect(cardTexts(snapshot).some((t) => t.startsWith('Planen som den såg ut'))).toBe(true);
    expect(JSON.stringify(snapshot)).not.toContain('"Action.');
    // The live plan in the convener's thread has the convener's buttons; a party's has only its own "Påbörjad"/"Genomförd".
    // Teams asks for the card as it stands when Karin opens it (Universal Actions refresh).
    const planCardId = (await round.bot.store.meetings.get(meeting.meetingId))!.value.planCards.convener!;
    const shown = { message: { messageId: planCardId } };
    const plan = (await round.pg.skola.invoke(threads.skola, planCardId, 'refreshCard', { meetingId: meeting.meetingId, view: 'plan' })).value;
    expect(cardTexts(plan)).toEqual(expect.arrayContaining([sv.plan.edit, sv.plan.withdraw, sv.plan.export]));
    const socPlanId = (await round.bot.store.meetings.get(meeting.meetingId))!.value.planCards.socialtjanst!;
    const partyView = (await round.pg.socialtjanst.invoke(threads.socialtjanst, socPlanId, 'refreshCard', { meetingId: meeting.meetingId, view: 'plan' })).value;
    expect(cardTexts(partyView)).toContain(sv.plan.convenerEdits('Skola'));
    expect(cardTexts(partyView)).not.toEqual(expect.arrayContaining([sv.plan.settings]));
    expect(cardTexts(partyView).filter((t) => t === sv.plan.edit || t === sv.plan.withdraw)).toEqual([]);
    expect(executeData(partyView, 'commitmentStatus', 0)).toMatchObject({ status: 'started' });
    const socIds = (await round.bot.store.commitments.forMeeting(meeting.meetingId)).filter((c) => c.party === 'socialtjanst').map((c) => c.id);
    expect(JSON.stringify(partyView).match(/"commitmentId":"[^"]+"/g)!.every((m) => socIds.some((id) => m.includes(id)))).toBe(true);
    const settings = await round.pg.skola.invoke(threads.skola, shown.message!.messageId, 'setPlan', {
      ...executeData(plan, 'setPlan'),
      coordinator: 'socialtjanst',
      followUpDate: '2026-04-30',
      followUpConvener: 'skola',
    });
    expect(cardTexts(settings.value)).toEqual(expect.arrayContaining(['Socialtjänst', '30 april, kallas av Skola']));
    await planIn('primarvard', '30 april, kallas av Skola');

    // Only the responsible party marks a commitment done; the convener cannot do it for them.
    const socCommitment = (await round.bot.store.commitments.forMeeting(meeting.meetingId)).find((c) => c.party === 'socialtjanst')!;
    const byConvener = await round.pg.skola.invoke(threads.skola, shown.message!.messageId, 'commitmentStatus', { meetingId: meeting.meetingId, commitmentId: socCommitment.id, status: 'done' });
    expect(byConvener.value).toBe(sv.commitment.onlyResponsible);
    const socPlan = await planIn('socialtjanst', '30 april, kallas av Skola');
    const done = await round.pg.socialtjanst.invoke(threads.socialtjanst, socPlan.message!.messageId, 'commitmentStatus', { meetingId: meeting.meetingId, commitmentId: socCommitment.id, status: 'done' });
    expect(cardTexts(done.value)).toContain('Genomförd');
    // ... and a party cannot edit: that is the convener's documentation.
    const edit = await round.pg.socialtjanst.invoke(threads.socialtjanst, socPlan.message!.messageId, 'editCommitment', { meetingId: meeting.meetingId, commitmentId: socCommitment.id, intervention: 'x' });
    expect(edit.value).toBe(sv.commitment.onlyConvener);

    const schoolCommitment = (await round.bot.store.commitments.forMeeting(meeting.meetingId)).find((c) => c.party === 'skola')!;
    const edited = await round.pg.skola.invoke(threads.skola, shown.message!.messageId, 'editCommitment', {
      meetingId: meeting.meetingId,
      commitmentId: schoolCommitment.id,
      intervention: 'anpassad studiegång i liten grupp',
      scope: '3 dagar/vecka',
      performer: 'specialpedagog',
      followUpDate: '2026-04-27',
    });
    expect(cardTexts(edited.value)).toEqual(expect.arrayContaining(['anpassad studiegång i liten grupp', '27 april']));
    await planIn('primarvard', 'anpassad studiegång i liten grupp');

    await round.pg.skola.invoke(threads.skola, shown.message!.messageId, 'withdrawCommitment', { meetingId: meeting.meetingId, commitmentId: schoolCommitment.id });
    const after = await planIn('socialtjanst', 'Socialtjänst');
    expect(cardTexts(cardOf(after))).not.toContain('anpassad studiegång i liten grupp');

    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.entity === 'Commitment').map((e) => e.action).sort();
    expect(audit).toEqual(['commitmentDone', 'commitmentEdited', 'commitmentSaved', 'commitmentSaved', 'commitmentWithdrawn', 'planUpdated']);
  });

  it('gives the plan as text for the journal, with nothing beyond the case reference', async () => {
    const text = (await sayInThread('primarvard', 'plan text')).message?.text ?? '';
    expect(text).toContain('Norrbusmöte NB-2026-0007, Luleå – plan (sammanställning)');
    // Each line its own paragraph, so Teams does not run them together.
    expect(text).toMatch(/Samordnare: Socialtjänst\n\nSamordnad individuell plan \(SIP\): Nej\n\nUppföljande möte: /);
    expect(text).toContain('- föräldrastöd enligt ABC; omfattning: 4 träffar; utförare: familjebehandlare; uppföljning: 23 april; status: genomförd');
    expect(text).not.toMatch(/14 år|flicka|Sömn/i);
  });

  it('refuses an intake submitted on a summons card (forged card data), creating nothing', async () => {
    const before = await round.bot.store.caseReferences.listPartition('Luleå');
    const forged = await round.pg.primarvard.invoke(threads.primarvard, meeting.summons.primarvard.cardId, 'submitIntake', {
      ...SCENARIO_INTAKE,
      caseReference: 'NB-2026-0099',
      time1Date: '2026-03-20',
      time2Date: '',
      time2Time: '',
    });
    expect(forged.value).toBe(sv.meeting.notYourThread);
    expect(await round.bot.store.caseReferences.listPartition('Luleå')).toEqual(before);
  });
});
