import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, type Frame } from '../support/playground';
import { convene, type ConvenedMeeting, registerForum, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Thursday 12 March 2026, 13:00 in Luleå: the Norrbusmöte itself. */
const MEETING_DAY = '2026-03-12T12:00:00Z';

/** A disagreement about cost recorded from the meeting's thread, handled by Forum barn och unga in its own thread. */
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

  it('records a disagreement from the convener\'s thread, posts it to the forum, and is escalated and resolved only there', async () => {
    await round.pg.skola.say(meeting.thread, 'oenighet', { mention: true });
    const form = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === meeting.thread && titled(f, sv.disagreement.formTitle), 'the disagreement form');
    const texts = cardTexts(cardOf(form));
    expect(texts).toEqual(expect.arrayContaining([sv.disagreement.parties, sv.disagreement.question, sv.disagreement.levelLabel, sv.disagreement.submit]));
    expect(JSON.stringify(cardOf(form))).toContain(sv.noIdentifyingText);
    const formId = form.message!.messageId;
    const values = { meetingId: meeting.meetingId, parties: 'socialtjanst,primarvard', question: 'Vem bekostar stödet i hemmet under sommaren?', level: 'management' };

    const refused = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, question: 'Gäller 121212-1212 och kostnaden' });
    expect(cardTexts(refused.value)).toContain(sv.disagreement.personnummer);
    expect(JSON.stringify(refused.value)).not.toContain('121212-1212');
    const tooFew = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, parties: 'socialtjanst' });
    expect(cardTexts(tooFew.value)).toContain(sv.disagreement.required);
    const notInMeeting = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, parties: 'socialtjanst,specialistvard' });
    expect(cardTexts(notInMeeting.value)).toContain(sv.disagreement.required);
    const otherMeeting = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', { ...values, meetingId: 'm0000000000000000' });
    expect(otherMeeting.value).toBe(sv.disagreement.notThisMeeting);
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toEqual([]);

    const sent = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', values);
    expect(cardTexts(sent.value)[0]).toBe(sv.disagreement.title('OE-2026-0001'));
    expect(cardTexts(sent.value)).toEqual(expect.arrayContaining(['Socialtjänst, Primärvård', 'Ordinarie ledning', 'Öppen']));
    expect(cardTexts(sent.value)).not.toContain(sv.disagreement.escalate);
    expect(JSON.stringify(sent.value)).toContain(sv.disagreement.sentToForum);
    // The same card submitted again records nothing new.
    const again = await round.pg.skola.invoke(meeting.thread, formId, 'submitDisagreement', values);
    expect(cardTexts(again.value)[0]).toBe(sv.disagreement.title('OE-2026-0001'));
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toHaveLength(1);

    const forumPost = await round.pg.skola.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.general && titled(f, sv.disagreement.title('OE-2026-0001')),
      'the disagreement in the forum',
    );
    expect(cardTexts(cardOf(forumPost))).toEqual(expect.arrayContaining(['NB-2026-0011', values.question, sv.disagreement.escalate, sv.disagreement.resolve]));
    const stored = (await round.bot.store.disagreements.forMunicipality('Luleå'))[0];
    expect(stored).toMatchObject({
      meetingId: meeting.meetingId,
      caseReference: 'NB-2026-0011',
      parties: ['socialtjanst', 'primarvard'],
      question: values.question,
      level: 'management',
      status: 'open',
      posts: { meeting: { threadId: meeting.thread, activityId: formId } },
    });
    const data = { municipality: 'Luleå', id: stored.id };
    const forumThread = forumPost.message!.postConversationId!;

    // A forged action from a party's thread, or from the meeting's thread, changes nothing.
    expect((await round.pg.primarvard.invoke(meeting.summons.primarvard.thread, meeting.summons.primarvard.cardId, 'escalateDisagreement', data)).value).toBe(sv.disagreement.onlyForum);
    expect((await round.pg.primarvard.invoke(meeting.summons.primarvard.thread, meeting.summons.primarvard.cardId, 'resolveDisagreement', { ...data, resolution: 'Vi betalar inte.' })).value).toBe(
      sv.disagreement.onlyForum,
    );
    expect((await round.pg.skola.invoke(meeting.thread, formId, 'escalateDisagreement', data)).value).toBe(sv.disagreement.onlyForum);
    expect((await round.bot.store.disagreements.get('Luleå', stored.id))!.value).toMatchObject({ level: 'management', status: 'open' });

    const escalated = await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'escalateDisagreement', data);
    expect(cardTexts(escalated.value)).toEqual(expect.arrayContaining([sv.disagreement.level.samverkansstruktur, sv.disagreement.resolve]));
    expect(cardTexts(escalated.value)).not.toContain(sv.disagreement.escalate);
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f)).includes(sv.disagreement.level.samverkansstruktur),
      'the meeting thread sees the escalation',
    );
    expect(cardTexts((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'escalateDisagreement', data)).value)).toContain(sv.disagreement.alreadyTop);

    const pnr = await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'resolveDisagreement', { ...data, resolution: 'Enligt beslut om 121212-1212' });
    expect(cardTexts(pnr.value)).toContain(sv.disagreement.personnummer);
    expect(JSON.stringify(pnr.value)).not.toContain('121212-1212');
    const resolution = 'Socialtjänsten och regionen delar kostnaden lika.';
    const resolved = await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'resolveDisagreement', { ...data, resolution });
    expect(cardTexts(resolved.value)).toEqual(expect.arrayContaining(['Löst', resolution]));
    expect(cardTexts(resolved.value)).not.toContain(sv.disagreement.resolve);
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f)).includes(resolution),
      'the meeting thread sees the resolution',
    );

    const final = (await round.bot.store.disagreements.get('Luleå', stored.id))!.value;
    expect(final).toMatchObject({ status: 'resolved', level: 'samverkansstruktur', resolution: { text: resolution }, escalations: [{ from: 'management', to: 'samverkansstruktur' }] });
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.entity === 'Disagreement');
    expect(audit.map((e) => e.action)).toEqual(['disagreementRecorded', 'disagreementEscalated', 'disagreementResolved']);
    expect(JSON.stringify(audit)).not.toContain(values.question);
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
      level: 'samverkansstruktur',
    });
    expect(cardTexts(sent.value)[0]).toBe(sv.disagreement.title('OE-2026-0002'));
    expect(cardTexts(sent.value).join(' ')).toContain(sv.disagreement.noForum('Luleå'));
    expect(await round.bot.store.disagreements.forMunicipality('Luleå')).toHaveLength(2);
  });
});
