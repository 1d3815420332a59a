import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { dumpTables } from '../bot/tables';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, inputsOf, type Playground } from '../support/playground';
import { convene, type ConvenedMeeting, type Round, startRound } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Thursday 12 March 2026, at the meeting. */
const MEETING_DAY = '2026-03-12T14:00:00+01:00';
const HEARD = 'Socialtjänsten ansvarar för familjebehandling, varannan vecka, utförs av familjebehandlare, uppföljning 20 april';
const CHATTER = 'Vi ses i konferensrummet efter lunch, ta med kaffe';

/**
 * With resource-specific consent Teams delivers every message in a channel the bot is in: a
 * commitment typed in a meeting's thread without @Norrbus gets its confirmation card, quietly,
 * once; anything else, anywhere, gets nothing and leaves nothing in storage.
 */
describe('commitments read from the conversation', () => {
  let round: Round;
  let meeting: ConvenedMeeting;

  beforeAll(async () => {
    round = await startRound(MEETING_DAY);
    meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0011', time1Date: '2026-03-13', time1Time: '09:00', time2Date: '', time2Time: '' });
  }, 120_000);
  afterAll(() => round?.stop());

  /** A message typed in a channel's thread without mentioning the bot, as Teams delivers it with the consent granted. */
  async function unmentioned(pg: Playground, org: (typeof ORGS)[keyof typeof ORGS], conversationId: string, text: string, id: string): Promise<void> {
    const template = await pg.template(conversationId);
    await pg.sendCustom({
      ...template,
      type: 'message',
      id,
      text,
      entities: [],
      channelData: { tenant: { id: org.tenantId }, team: { id: org.teamId }, channel: { id: org.intakeChannel } },
    });
  }

  /** The bot's next answer in a conversation (the plan cards it posts by itself aside): proves what came before it got none. */
  async function nextPostIn(pg: Playground, conversationId: string, what: string) {
    return pg.next((f) => f.action === 'createMessage' && f.actionConversationId === conversationId && !cardTexts(cardOf(f))[0]?.startsWith('Plan för'), what);
  }

  it('answers a commitment in a party\'s meeting thread with a confirmation card, once', async () => {
    const thread = meeting.summons.socialtjanst.thread;
    const pg = round.pg.socialtjanst;
    await unmentioned(pg, ORGS.socialtjanst, thread, HEARD, 'heard-1');
    const card = cardOf(await nextPostIn(pg, thread, 'the confirmation card'));
    expect(cardTexts(card)[0]).toBe(sv.commitment.confirmTitle);
    expect(inputsOf(card)).toMatchObject({ party: 'socialtjanst', intervention: 'familjebehandling', scope: 'varannan vecka', performer: 'familjebehandlare', followUpDate: '2026-04-20' });
    // Delivered again (a retry), and chatter: neither is answered.
    await unmentioned(pg, ORGS.socialtjanst, thread, HEARD, 'heard-1');
    await unmentioned(pg, ORGS.socialtjanst, thread, CHATTER, 'heard-2');
    await pg.say(thread, 'hjälp', { mention: true });
    expect(cardTexts(cardOf(await nextPostIn(pg, thread, 'the help card'))).join(' ')).toContain('Norrbus');
    // Saving the card records the commitment as an @Norrbus commitment would be.
    const saved = await pg.invoke(thread, (await round.bot.store.posts.forMeeting(meeting.meetingId)).at(-1)!.activityId, 'saveCommitment', { ...executeData(card, 'saveCommitment'), ...inputsOf(card) });
    expect(cardTexts(saved.value)[0]).toBe(sv.commitment.saved('NB-2026-0011'));
  });

  it('puts several commitments of one message on one card, each saved on its own', async () => {
    const thread = meeting.thread;
    const pg = round.pg.skola;
    await unmentioned(pg, ORGS.skola, thread, 'Skolan ansvarar för anpassad studiegång, utförs av specialpedagog, uppföljning 20 april.\nPrimärvården ansvarar för sömnutredning, uppföljning 30 april.', 'heard-5');
    const frame = await nextPostIn(pg, thread, 'the confirmation card with two commitments');
    const card = cardOf(frame);
    expect(cardTexts(card)).toEqual(expect.arrayContaining([sv.commitment.itemHeading(1, 2), sv.commitment.itemHeading(2, 2)]));
    const inputs = inputsOf(card);
    expect(inputs).toMatchObject({ party_0: 'skola', intervention_0: 'anpassad studiegång', party_1: 'primarvard', intervention_1: 'sömnutredning', followUpDate_1: '2026-04-30' });
    // The second first: the card keeps the first editable and shows the second saved.
    const second = await pg.invoke(thread, frame.message!.messageId, 'saveCommitment', { ...executeData(card, 'saveCommitment', 1), ...inputs });
    expect(cardTexts(second.value)).toContain(sv.commitment.itemSaved);
    expect(inputsOf(second.value)).toMatchObject({ intervention_0: 'anpassad studiegång' });
    expect(inputsOf(second.value).intervention_1).toBeUndefined();
    const first = await pg.invoke(thread, frame.message!.messageId, 'saveCommitment', { ...executeData(second.value, 'saveCommitment', 0), ...inputsOf(second.value) });
    expect(cardTexts(first.value)[0]).toBe(sv.commitment.saved('NB-2026-0011'));
    const stored = (await round.bot.store.commitments.forMeeting(meeting.meetingId)).map((c) => c.intervention).sort();
    expect(stored).toEqual(['anpassad studiegång', 'familjebehandling', 'sömnutredning']);
  });

  it('records a party that states it has no intervention, once confirmed', async () => {
    const thread = meeting.summons.primarvard.thread;
    const pg = round.pg.primarvard;
    await unmentioned(pg, ORGS.primarvard, thread, 'Inget mer från HC i nuläget.', 'heard-6');
    const frame = await nextPostIn(pg, thread, 'the nothing-further card');
    expect(cardTexts(cardOf(frame))[0]).toBe(sv.commitment.nothingFurtherTitle('Primärvård'));
    const confirmed = await pg.invoke(thread, frame.message!.messageId, 'confirmNothingFurther', executeData(cardOf(frame), 'confirmNothingFurther'));
    expect(cardTexts(confirmed.value)[0]).toBe(sv.commitment.nothingFurtherSaved('Primärvård', 'NB-2026-0011'));
    expect((await round.bot.store.meetings.get(meeting.meetingId))!.value.plan.nothingFurther).toEqual(['primarvard']);
    // "oss" is the thread's party; social services cannot state it for primary care.
    const soc = meeting.summons.socialtjanst.thread;
    await round.pg.socialtjanst.say(soc, 'åtagande ingen insats från oss', { mention: true });
    const socFrame = await nextPostIn(round.pg.socialtjanst, soc, 'social services\' nothing-further card');
    expect(cardTexts(cardOf(socFrame))[0]).toBe(sv.commitment.nothingFurtherTitle('Socialtjänst'));
    const forged = await round.pg.socialtjanst.invoke(soc, socFrame.message!.messageId, 'confirmNothingFurther', { meetingId: meeting.meetingId, party: 'primarvard' });
    expect(forged.value).toBe(sv.commitment.onlyOwnParty('Socialtjänst'));
    // The plan says so.
    const planId = (await round.bot.store.meetings.get(meeting.meetingId))!.value.planCards.convener!;
    const plan = await round.pg.skola.invoke(meeting.thread, planId, 'refreshCard', { meetingId: meeting.meetingId, view: 'plan' });
    expect(cardTexts(plan.value)).toEqual(expect.arrayContaining([sv.plan.nothingFurther, 'Primärvård']));
    // Setting the coordinator later keeps it.
    await round.pg.skola.invoke(meeting.thread, planId, 'setPlan', { meetingId: meeting.meetingId, coordinator: 'socialtjanst', followUpDate: '', followUpConvener: 'skola' });
    expect((await round.bot.store.meetings.get(meeting.meetingId))!.value.plan).toMatchObject({ coordinator: 'socialtjanst', nothingFurther: ['primarvard'] });
  });

  it('says nothing outside a meeting\'s thread, and stores none of it', async () => {
    const pg = round.pg.skola;
    await unmentioned(pg, ORGS.skola, ORGS.skola.intakeChannel, 'Skolan ansvarar för läxhjälp två eftermiddagar i veckan', 'heard-3');
    // Talking about the bot is not a command.
    await unmentioned(pg, ORGS.skola, ORGS.skola.intakeChannel, 'Norrbus är bra, tycker jag', 'heard-7');
    // A command by the bot's name is meant for it, mentioned or not.
    await unmentioned(pg, ORGS.skola, ORGS.skola.intakeChannel, 'norrbus hjälp', 'heard-8');
    const next = await pg.next(
      (f) => f.action === 'createMessage' && f.actionConversationId.startsWith(ORGS.skola.intakeChannel) && !cardTexts(cardOf(f))[0]?.startsWith('Plan för'),
      'the next post in the intake channel',
    );
    expect(cardTexts(cardOf(next))[0]).toBe(sv.help.title);
    // ... and only that one: the next answer is to the next command, not a help card for the chatter.
    await unmentioned(pg, ORGS.skola, ORGS.skola.intakeChannel, 'norrbus kanaler', 'heard-9');
    const after = await pg.next(
      (f) => f.action === 'createMessage' && f.actionConversationId.startsWith(ORGS.skola.intakeChannel) && !cardTexts(cardOf(f))[0]?.startsWith('Plan för'),
      'the answer to "norrbus kanaler"',
    );
    expect(cardTexts(cardOf(after))[0]).toBe(sv.channels.title('Luleå'));
    const dump = JSON.stringify(await dumpTables(round.bot.storage));
    expect(dump).not.toContain('läxhjälp');
    expect(dump).not.toContain('konferensrummet');
  });

  it('stops reading a meeting\'s threads when the convener turns it off', async () => {
    const off = await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'setListening', { meetingId: meeting.meetingId, listening: 'off' });
    expect(cardTexts(off.value)).toEqual(expect.arrayContaining([sv.meeting.listeningOffText, sv.meeting.listeningOn]));
    const thread = meeting.summons.primarvard.thread;
    const pg = round.pg.primarvard;
    await unmentioned(pg, ORGS.primarvard, thread, 'HC ansvarar för sömnutredning, uppföljning 30 april', 'heard-4');
    await pg.say(thread, 'hjälp', { mention: true });
    expect(cardTexts(cardOf(await nextPostIn(pg, thread, 'the next post in primary care\'s thread')))[0]).not.toBe(sv.commitment.confirmTitle);
    // "@Norrbus åtagande" still works.
    await pg.say(thread, 'åtagande HC ansvarar för sömnutredning, uppföljning 30 april', { mention: true });
    expect(cardTexts(cardOf(await nextPostIn(pg, thread, 'the confirmation card')))[0]).toBe(sv.commitment.confirmTitle);
  });
});
