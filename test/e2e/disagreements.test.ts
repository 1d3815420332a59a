import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, type Frame } from '../support/playground';
import { convene, type ConvenedMeeting, registerForum, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Thursday 12 March 2026, 13:00 in Luleå: the Norrbusmöte itself. */
const MEETING_DAY = '2026-03-12T12:00:00Z';

/** A disagreement about cost recorded by a party, handled in the parties' own management and last by Samverkansstruktur; Forum barn och unga informed. */
describe('disagreements (oenighet)', () => {
  let round: Round;
  let meeting: ConvenedMeeting;

  beforeAll(async () => {
    round = await startRound(MEETING_DAY);
    meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0011', time1Date: '2026-03-13', time1Time: '09:00', time2Date: '', time2Time: '' });
    await registerForum(round);
  }, 120_000);
  afterAll(() => round?.stop());

  const titled = (f: Frame, title: string) => !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === title;

  it('answers outside a meeting thread with a message, not a form', async () => {
    await round.pg.skola.say(ORGS.skola.personalChat, 'norrbus oenighet');
    expect((await round.pg.skola.nextIn(ORGS.skola.personalChat, 'the answer')).message?.text).toBe(sv.disagreement.noMeetingHere);
  });

  it('is recorded by the parties, taken up in each party\'s own management, lifted to Samverkansstruktur only after that, the forum informed', async () => {
    await round.pg.skola.say(meeting.thread, 'oenighet', { mention: true });
    const form = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === meeting.thread && titled(f, sv.disagreement.formTitle), 'the disagreement form');
    const texts = cardTexts(cardOf(form));
    expect(texts).toEqual(expect.arrayContaining([sv.disagreement.parties, sv.disagreement.question, sv.disagreement.formManagementLevel, sv.disagreement.submit]));
    expect(JSON.stringify(cardOf(form))).toContain(sv.noIdentifyingText);
    const formId = form.message!.messageId;
    const values = { meetingId: meeting.meetingId, parties: 'skola,primarvard', question: 'Vem bekostar stödet i skolan under sommaren?', managementLevel: 'rektor' };

    const refused = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, question: 'Gäller 121212-1212 och kostnaden' });
    expect(cardTexts(refused.value)).toContain(sv.disagreement.personnummer);
    expect(JSON.stringify(refused.value)).not.toContain('121212-1212');
    const pnrLevel = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, managementLevel: '121212-1212' });
    expect(cardTexts(pnrLevel.value)).toContain(sv.disagreement.personnummer);
    const tooFew = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, parties: 'socialtjanst' });
    expect(cardTexts(tooFew.value)).toContain(sv.disagreement.required);
    const notInMeeting = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, parties: 'socialtjanst,specialistvard' });
    expect(cardTexts(notInMeeting.value)).toContain(sv.disagreement.required);
    const otherMeeting = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, meetingId: 'm0000000000000000' });
    expect(otherMeeting.value).toBe(sv.disagreement.notThisMeeting);
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toEqual([]);

    const sent = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', values);
    const own = cardTexts(sent.value);
    expect(own[0]).toBe(sv.disagreement.title('OE-2026-0001'));
    expect(own).toEqual(expect.arrayContaining(['Skola, Primärvård', 'Ordinarie ledning', 'Öppen', sv.disagreement.step('Skola', 'rektor', '12 mars'), 'Primärvård', sv.disagreement.takeUp, sv.disagreement.resolve]));
    // Samverkansstruktur is not reachable before every party's own management has tried.
    expect(own).not.toContain(sv.disagreement.escalate);
    expect(JSON.stringify(sent.value)).toContain(sv.disagreement.sentToForum);
    const again = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', values);
    expect(cardTexts(again.value)[0]).toBe(sv.disagreement.title('OE-2026-0001'));
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toHaveLength(1);

    const forumPost = await round.pg.skola.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.general && titled(f, sv.disagreement.title('OE-2026-0001')),
      'the disagreement in the forum',
    );
    const forumTexts = cardTexts(cardOf(forumPost));
    expect(forumTexts).toEqual(expect.arrayContaining(['NB-2026-0011', values.question, sv.disagreement.forumNote]));
    for (const action of [sv.disagreement.escalate, sv.disagreement.resolve, sv.disagreement.takeUp]) expect(forumTexts).not.toContain(action);
    const primaryThread = meeting.summons.primarvard.thread;
    const primaryCopy = await round.pg.primarvard.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === primaryThread && titled(f, sv.disagreement.title('OE-2026-0001')),
      'the disagreement in primary care\'s own thread',
    );
    expect(cardTexts(cardOf(primaryCopy))).toEqual(expect.arrayContaining([sv.disagreement.takeUp, sv.disagreement.resolve]));
    const stored = (await round.bot.store.disagreements.forMunicipality('Luleå'))[0];
    expect(stored).toMatchObject({ parties: ['skola', 'primarvard'], level: 'management', status: 'open', steps: [{ party: 'skola', level: 'rektor' }], posts: { meeting: { threadId: meeting.thread, activityId: formId } } });
    const data = { municipality: 'Luleå', id: stored.id };
    const forumThread = forumPost.message!.postConversationId!;
    const primaryCard = primaryCopy.message!.messageId;

    // The forum is informed, never the one who escalates or decides; a party not in the disagreement does nothing.
    expect((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'escalateDisagreement', data)).value).toBe(sv.disagreement.forumInformedOnly);
    expect((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'resolveDisagreement', { ...data, resolution: 'Löst.' })).value).toBe(sv.disagreement.forumInformedOnly);
    expect((await round.pg.socialtjanst.invoke(meeting.summons.socialtjanst.thread, meeting.summons.socialtjanst.cardId, 'disagreementStep', { ...data, managementLevel: 'enhetschef' })).value).toBe(
      sv.disagreement.onlyParties,
    );
    const early = await round.pg.skola.invoke(meeting.thread, formId, 'escalateDisagreement', data);
    expect(cardTexts(early.value)).toContain(sv.disagreement.managementFirst('Primärvård'));
    expect((await round.bot.store.disagreements.get('Luleå', stored.id))!.value).toMatchObject({ level: 'management', status: 'open' });

    const pnrStep = await round.pg.primarvard.invoke(primaryThread, primaryCard, 'disagreementStep', { ...data, managementLevel: 'chef 121212-1212' });
    expect(cardTexts(pnrStep.value)).toContain(sv.disagreement.personnummer);
    const step = await round.pg.primarvard.invoke(primaryThread, primaryCard, 'disagreementStep', { ...data, managementLevel: 'verksamhetschef' });
    expect(cardTexts(step.value)).toEqual(expect.arrayContaining([`${sv.disagreement.step('Skola', 'rektor', '12 mars')}; ${sv.disagreement.step('Primärvård', 'verksamhetschef', '12 mars')}`, sv.disagreement.escalate]));
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f)).includes(sv.disagreement.escalate),
      'the convener\'s copy can lift it now',
    );

    const escalated = await round.pg.primarvard.invoke(primaryThread, primaryCard, 'escalateDisagreement', data);
    expect(cardTexts(escalated.value)).toEqual(expect.arrayContaining([sv.disagreement.level.samverkansstruktur, sv.disagreement.resolve]));
    expect(cardTexts(escalated.value)).not.toContain(sv.disagreement.escalate);
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId.startsWith(ORGS.skola.general) && cardTexts(cardOf(f)).includes(sv.disagreement.level.samverkansstruktur),
      'the forum is told of the escalation',
    );
    expect(cardTexts((await round.pg.primarvard.invoke(primaryThread, primaryCard, 'escalateDisagreement', data)).value)).toContain(sv.disagreement.alreadyTop);

    const resolution = 'Samverkansstrukturen beslutade att kostnaden delas lika.';
    const pnr = await round.pg.skola.invoke(meeting.thread, formId, 'resolveDisagreement', { ...data, resolution: 'Enligt beslut om 121212-1212' });
    expect(cardTexts(pnr.value)).toContain(sv.disagreement.personnummer);
    const resolved = await round.pg.skola.invoke(meeting.thread, formId, 'resolveDisagreement', { ...data, resolution });
    expect(cardTexts(resolved.value)).toEqual(expect.arrayContaining(['Löst', resolution, sv.disagreement.resolvedAt('Skola', sv.disagreement.level.samverkansstruktur, '12 mars')]));
    expect(cardTexts(resolved.value)).not.toContain(sv.disagreement.resolve);
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId.startsWith(ORGS.skola.general) && cardTexts(cardOf(f)).includes(resolution),
      'the forum sees the resolution',
    );

    const final = (await round.bot.store.disagreements.get('Luleå', stored.id))!.value;
    expect(final).toMatchObject({
      status: 'resolved',
      level: 'samverkansstruktur',
      resolution: { text: resolution, party: 'skola', level: 'samverkansstruktur' },
      steps: [{ party: 'skola', level: 'rektor' }, { party: 'primarvard', level: 'verksamhetschef' }],
      escalations: [{ from: 'management', to: 'samverkansstruktur' }],
    });
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.entity === 'Disagreement');
    expect(audit.map((e) => e.action)).toEqual(['disagreementRecorded', 'disagreementManagementStep', 'disagreementEscalated', 'disagreementResolved']);
    expect(JSON.stringify(audit)).not.toContain(values.question);
  });

  it('reads a disagreement stored before the parties\' own steps, which the forum had escalated', async () => {
    const legacy = (await round.bot.store.disagreements.forMunicipality('Luleå'))[0];
    const { steps: _steps, ...old } = legacy;
    await round.bot.store.disagreements.put({ ...(old as typeof legacy), id: 'o0000000000aa', reference: 'OE-2026-0099', resolution: undefined, status: 'open', level: 'samverkansstruktur', posts: {} } as typeof legacy);
    const read = (await round.bot.store.disagreements.get('Luleå', 'o0000000000aa'))!.value;
    expect(read.steps).toEqual([]);
    await round.bot.store.disagreements.remove('Luleå', 'o0000000000aa');
  });

  it('keeps a disagreement stored and says so when the municipality has no forum channel', async () => {
    await round.bot.store.intakeChannels.remove('Luleå', 'forum');
    await round.pg.socialtjanst.say(meeting.summons.socialtjanst.thread, 'oenighet', { mention: true });
    const form = await round.pg.socialtjanst.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === meeting.summons.socialtjanst.thread && titled(f, sv.disagreement.formTitle),
      'the form in social services\' thread',
    );
    const sent = await round.pg.socialtjanst.invoke(meeting.summons.socialtjanst.thread, form.message!.messageId, 'submitDisagreement', {
      meetingId: meeting.meetingId,
      parties: 'skola,socialtjanst',
      question: 'Vem ansvarar för skolskjutsen?',
    });
    expect(cardTexts(sent.value)[0]).toBe(sv.disagreement.title('OE-2026-0002'));
    expect(cardTexts(sent.value).join(' ')).toContain(sv.disagreement.noForum('Luleå'));
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toHaveLength(2);
  });
});
