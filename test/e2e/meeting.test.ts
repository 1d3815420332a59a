import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import type { TestBot } from '../support/bot';
import { ORGS, type DemoPartyKey } from '../support/organisations';
import { cardOf, cardTexts, executeData, type Frame } from '../support/playground';
import { registerForum, startRound, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026, 09:00 in Luleå: the day Karin has consent (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';

const scenario = SCENARIO_INTAKE;

type Card = { actions?: { verb?: string; data?: Record<string, unknown> }[]; body?: unknown[] };


/** End to end with three organisations, each in its own Agents Playground, as in SCENARIO.md. */
describe('a Norrbusmöte from "nytt möte" to "Bekräfta mötet"', () => {
  let round: Round;
  let bot: TestBot;
  let pg: Round['pg'];

  beforeAll(async () => {
    round = await startRound(START);
    ({ bot, pg } = round);
  }, 120_000);
  afterAll(() => round?.stop());

  async function newMeeting(channel = ORGS.skola.intakeChannel) {
    const post = await pg.skola.say(channel, 'nytt möte', { mention: true });
    const thread = post.postConversationId!;
    const reply = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
    return { thread, cardId: reply.message!.messageId, card: cardOf(reply) as Card };
  }

  function summonsIn(party: DemoPartyKey): Promise<Frame> {
    return pg[party].next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS[party].intakeChannel && cardTexts(cardOf(f))[0]?.startsWith('Kallelse till Norrbusmöte') === true,
      `the summons in ${party}'s intake channel`,
    );
  }

  function statusUpdate(cardId: string, has: (texts: string[]) => boolean, what: string): Promise<Frame> {
    return pg.skola.next((f) => f.action === 'updateMessage' && f.message?.messageId === cardId && has(cardTexts(cardOf(f))), what);
  }

  it('runs the whole round and tells every thread', async () => {
    const { thread, cardId, card } = await newMeeting();
    const inputs = card.body!.flatMap(function flat(e: unknown): { id?: string; value?: string }[] {
      const o = e as { id?: string; value?: string; columns?: { items: unknown[] }[]; items?: unknown[] };
      return [o, ...(o.columns?.flatMap((c) => c.items.flatMap(flat)) ?? []), ...(o.items?.flatMap(flat) ?? [])];
    });
    const preset = (id: string) => inputs.find((i) => i.id === id)?.value;
    expect([preset('municipality'), preset('convener'), preset('summoned'), preset('caseReference'), preset('consentDate')]).toEqual([
      'Luleå',
      'skola',
      'socialtjanst,primarvard',
      'NB-2026-0001',
      '2026-03-02',
    ]);

    // A personnummer in the purpose, and a 21-year-old: refused field by field, nothing stored or sent.
    const refused = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, caseReference: 'NB-2026-0001', age: '21', purpose: 'Flickan 121212-1212 har hög frånvaro' });
    const refusedTexts = cardTexts(refused.value);
    expect(refusedTexts).toContain('Ta bort personnumret – skriv inget som kan identifiera den unge.');
    expect(refusedTexts).toContain(sv.intake.problem.tooOld);
    expect(JSON.stringify(refused.value)).toContain('Sunderby skola, konferensrum 2');
    // The refilled card replaces the message for everyone in the channel: the number is not in it.
    expect(JSON.stringify(refused.value)).not.toContain('121212-1212');
    expect(await bot.store.caseReferences.listPartition('Luleå')).toEqual([]);

    const submitted = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, caseReference: 'NB-2026-0001' });
    const status = cardTexts(submitted.value);
    expect(status[0]).toBe('Norrbusmöte NB-2026-0001');
    expect(status).toContain('Kallelse senast 9 mars (5 arbetsdagar efter samtycke). Möte senast 16 mars (10 arbetsdagar efter kallelse).');

    const [socSummons, pvSummons] = await Promise.all([summonsIn('socialtjanst'), summonsIn('primarvard')]);
    const socTexts = cardTexts(cardOf(socSummons));
    expect(socTexts).toEqual(expect.arrayContaining(['Kallelse till Norrbusmöte NB-2026-0001', 'Väntar på svar', 'Vi deltar', 'Föreslå annan tid', 'Kan inte delta']));
    const shown = JSON.stringify(cardOf(socSummons));
    expect(shown).toContain('13–15 år, flicka');
    expect(shown).toContain('Ökande frånvaro och sömnsvårigheter');
    expect(shown).not.toMatch(/\b14 år\b/);
    // The summons names who convened: the professional and the organisation, never the young person.
    expect(socTexts).toContain('Karin Lindström, Luleå kommun (skola), kallar er till ett Norrbusmöte. Ta med någon med mandat att besluta om insatser.');
    await statusUpdate(cardId, (t) => t.filter((x) => x === sv.meeting.waiting).length === 2, 'status: both summons sent, waiting');

    // Jonas answers in his thread; a double click records it once.
    const socThread = socSummons.message!.postConversationId!;
    const socCardId = socSummons.message!.messageId;
    const attend = { ...executeData(cardOf(socSummons), 'answerSummons'), answer: 'attend', participant: 'Jonas Nilsson, socialsekreterare', time: '2026-03-12T13:00' };
    const [first, second] = await Promise.all([
      pg.socialtjanst.invoke(socThread, socCardId, 'answerSummons', attend),
      pg.socialtjanst.invoke(socThread, socCardId, 'answerSummons', attend),
    ]);
    for (const answer of [first, second]) expect(cardTexts(answer.value)).toContain('Deltar: Jonas Nilsson, socialsekreterare, torsdag 12 mars 13:00');
    await statusUpdate(cardId, (t) => t.includes('Deltar: Jonas Nilsson, socialsekreterare, torsdag 12 mars 13:00'), 'status: social services attend');

    // Primary care cannot answer for social services, nor confirm the meeting.
    const pvThread = pvSummons.message!.postConversationId!;
    const pvCardId = pvSummons.message!.messageId;
    const forged = await pg.primarvard.invoke(pvThread, pvCardId, 'answerSummons', { ...attend, answer: 'decline', reason: 'x' });
    expect(forged.value).toBe(sv.meeting.notYourThread);
    const meetingId = executeData(cardOf(socSummons), 'answerSummons').meetingId as string;
    expect(await pg.primarvard.invoke(pvThread, pvCardId, 'fixMeeting', { meetingId, time: '2026-03-12T13:00' })).toMatchObject({ value: sv.meeting.notYourThread });
    // Nor can the convener confirm before everyone has answered.
    expect(cardTexts((await pg.skola.invoke(thread, cardId, 'fixMeeting', { meetingId, time: '2026-03-12T13:00' })).value)).toContain(sv.meeting.notAllAnswered);

    const leila = { ...executeData(cardOf(pvSummons), 'answerSummons'), answer: 'attend', participant: 'Dr. Berg, distriktsläkare', time: '2026-03-12T13:00' };
    await pg.primarvard.invoke(pvThread, pvCardId, 'answerSummons', leila);
    const ready = await statusUpdate(cardId, (t) => t.includes(sv.meeting.fix), 'status: "Bekräfta mötet" offered');
    expect(cardTexts(cardOf(ready))).toContain(sv.meeting.allAnswered);

    const fixed = await pg.skola.invoke(thread, cardId, 'fixMeeting', { ...executeData(cardOf(ready), 'fixMeeting'), time: '2026-03-12T13:00' });
    expect(cardTexts(fixed.value)).toContain('Mötet är bekräftat: torsdag 12 mars 13:00.');

    const notice = 'Norrbusmöte NB-2026-0001 är bekräftat: torsdag 12 mars 13:00, Sunderby skola, konferensrum 2.';
    for (const [party, threadId] of [['socialtjanst', socThread], ['primarvard', pvThread]] as const) {
      const told = await pg[party].next((f) => f.action === 'createMessage' && f.actionConversationId === threadId && f.message?.text === notice, `the notice in ${party}'s thread`);
      expect(told.message?.text).toBe(notice);
    }
    const late = await pg.socialtjanst.invoke(socThread, socCardId, 'answerSummons', { ...attend, answer: 'decline', reason: 'Sjuk' });
    expect(cardTexts(late.value)).toContain(sv.meeting.alreadyFixed);

    const audit = (await bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meetingId).map((e) => e.action).sort();
    expect(audit).toEqual(['consentRecorded', 'meetingCreated', 'meetingFixed', 'summonsAnswered', 'summonsAnswered', 'summonsSent', 'summonsSent']);
    expect(Object.keys((await bot.store.meetings.get(meetingId))!.value.answers).sort()).toEqual(['primarvard', 'socialtjanst']);

    await pg.skola.say(ORGS.skola.personalChat, 'norrbus mina möten');
    const mine = cardTexts(cardOf(await pg.skola.nextIn(ORGS.skola.personalChat, 'my meetings')));
    expect(mine).toEqual(expect.arrayContaining(['Mina Norrbusmöten', 'NB-2026-0001', 'Bekräftat', 'Möte torsdag 12 mars 13:00']));
  });

  it('creates one meeting and one summons per party when "Skicka kallelse" is clicked twice', async () => {
    const { thread, cardId } = await newMeeting();
    const data = { ...scenario, summoned: 'primarvard', consentParties: 'primarvard', caseReference: 'NB-2026-0003' };
    const answers = await Promise.all([1, 2, 3].map(() => pg.skola.invoke(thread, cardId, 'submitIntake', data)));
    for (const answer of answers) expect(cardTexts(answer.value)[0]).toBe('Norrbusmöte NB-2026-0003');
    await summonsIn('primarvard');
    const meetingId = (await bot.store.caseReferences.find('Luleå', 'NB-2026-0003'))!.value.meetingId;
    await expect.poll(async () => (await bot.store.meetings.get(meetingId))?.value.pending.length, { timeout: 10_000 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pg.primarvard.frames.filter((f) => f.action === 'createMessage' && cardTexts(cardOf(f))[0] === 'Kallelse till Norrbusmöte NB-2026-0003')).toHaveLength(0);
    const created = (await bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meetingId && e.action === 'meetingCreated');
    expect(created).toHaveLength(1);
  });

  it('keeps "mina möten" out of shared channels', async () => {
    await pg.skola.say(ORGS.skola.intakeChannel, 'mina möten', { mention: true });
    const reply = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId.startsWith(`${ORGS.skola.intakeChannel};`) && f.message?.text === sv.onlyPersonal, 'the answer');
    expect(reply.message?.attachments ?? []).toEqual([]);
  });

  it('does not let another organisation take over a registered intake channel', async () => {
    const post = await pg.primarvard.say(ORGS.primarvard.general, 'registrera', { mention: true });
    const card = await pg.primarvard.next((f) => f.action === 'createMessage' && f.actionConversationId === post.postConversationId, 'the registration card');
    const answer = await pg.primarvard.invoke(post.postConversationId!, card.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'skola' });
    expect(cardTexts(answer.value)[0]).toBe(sv.register.organisationMayNot('Region Norrbotten', 'Skola', 'Luleå'));
    const forged = await pg.primarvard.invoke(post.postConversationId!, card.message!.messageId, 'replaceChannel', {
      municipality: 'Luleå',
      party: 'skola',
      replacesChannelId: ORGS.skola.intakeChannel,
    });
    expect(cardTexts(forged.value)[0]).toBe(sv.register.organisationMayNot('Region Norrbotten', 'Skola', 'Luleå'));
    // The forum may be held by either; once Luleå kommun holds it, the Region cannot take it over.
    await registerForum(round);
    const forum = await pg.primarvard.invoke(post.postConversationId!, card.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'forum' });
    expect(cardTexts(forum.value)[0]).toBe(sv.register.otherTenant);
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value.channelId).toBe(ORGS.skola.intakeChannel);
    expect((await bot.store.intakeChannels.get('Luleå', 'forum'))!.value.tenantId).toBe(ORGS.skola.tenantId);
  });

  it('does not let another channel of the same tenant take over social services\' way in without its approval', async () => {
    // The school's General channel (Luleå kommun's tenant, like social services) asks to become social services' way in.
    const post = await pg.skola.say(ORGS.skola.general, 'registrera', { mention: true });
    const thread = post.postConversationId!;
    const card = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the registration card');
    const question = await pg.skola.invoke(thread, card.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'socialtjanst' });
    const sent = await pg.skola.invoke(thread, card.message!.messageId, 'replaceChannel', executeData(question.value, 'replaceChannel'));
    expect(cardTexts(sent.value)[0]).toBe(sv.register.requestSent(`${ORGS.socialtjanst.teamName} › ${ORGS.socialtjanst.intakeChannelName}`));
    const asked = await pg.socialtjanst.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.socialtjanst.intakeChannel && cardTexts(cardOf(f))[0] === sv.register.approvalTitle,
      'the approval card in social services\' channel',
    );
    expect((await bot.store.intakeChannels.get('Luleå', 'socialtjanst'))!.value.channelId).toBe(ORGS.socialtjanst.intakeChannel);

    // The next summons still reaches social services' own channel.
    const { thread: intakeThread, cardId } = await newMeeting();
    await pg.skola.invoke(intakeThread, cardId, 'submitIntake', { ...scenario, summoned: 'socialtjanst', consentParties: 'socialtjanst', caseReference: 'NB-2026-0070' });
    await summonsIn('socialtjanst');

    // Social services says no; the school's channel is told, and nothing changes.
    const rejected = await pg.socialtjanst.invoke(asked.message!.postConversationId!, asked.message!.messageId, 'rejectReplacement', executeData(cardOf(asked), 'rejectReplacement'));
    expect(cardTexts(rejected.value)[0]).toBe(sv.register.rejected('Socialtjänst', 'Luleå'));
    const told = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the school told');
    expect(cardTexts(cardOf(told))[0]).toBe(sv.register.rejectedThere('Socialtjänst', 'Luleå'));
    const stored = (await bot.store.intakeChannels.get('Luleå', 'socialtjanst'))!.value;
    expect([stored.channelId, stored.replacementRequest]).toEqual([ORGS.socialtjanst.intakeChannel, undefined]);
  });

  it('refuses an intake from a personal chat naming a municipality the organisation does not act in', async () => {
    await pg.skola.say(ORGS.skola.personalChat, 'norrbus nytt möte');
    const reply = await pg.skola.nextIn(ORGS.skola.personalChat, 'the intake card');
    const answer = await pg.skola.invoke(ORGS.skola.personalChat, reply.message!.messageId, 'submitIntake', {
      ...scenario,
      municipality: 'Kiruna',
      convener: 'socialtjanst',
      summoned: 'skola,primarvard',
      consentParties: 'skola,primarvard',
      caseReference: 'NB-2026-0071',
    });
    expect(cardTexts(answer.value)).toContain(sv.authority.organisationMayNot('Luleå kommun', 'Socialtjänst', 'Kiruna'));
    expect(await bot.store.caseReferences.listPartition('Kiruna')).toEqual([]);
  });

  it('names a summoned party without a registered channel, and sends nothing', async () => {
    const { thread, cardId } = await newMeeting();
    const answer = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, summoned: 'specialistvard', consentParties: 'specialistvard', caseReference: 'NB-2026-0050' });
    expect(cardTexts(answer.value)).toContain(sv.intake.missingChannels('Specialistvård', 'Luleå'));
    expect(await bot.store.caseReferences.find('Luleå', 'NB-2026-0050')).toBeUndefined();
  });

  it('takes the convener from the channel, never from the card', async () => {
    const { thread, cardId } = await newMeeting();
    for (const forged of [{ municipality: 'Kiruna' }, { convener: 'socialtjanst', summoned: 'skola,primarvard', consentParties: 'skola,primarvard' }]) {
      const answer = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, ...forged, caseReference: 'NB-2026-0052' });
      expect(cardTexts(answer.value)).toContain(sv.authority.convenerIsChannel('Skola', 'Luleå'));
    }
    expect(await bot.store.caseReferences.find('Luleå', 'NB-2026-0052')).toBeUndefined();
    expect(await bot.store.caseReferences.listPartition('Kiruna')).toEqual([]);
  });

  it('from a personal chat, convenes only for a party whose intake channel team the person belongs to', async () => {
    await pg.skola.say(ORGS.skola.personalChat, 'norrbus nytt möte');
    const reply = await pg.skola.nextIn(ORGS.skola.personalChat, 'the intake card in the personal chat');
    const card = cardOf(reply) as { body?: unknown[] };
    const choices = (id: string) => {
      const found: string[] = [];
      JSON.stringify(card, (_key, value) => {
        if (value && typeof value === 'object' && (value as { id?: string }).id === id) found.push(...((value as { choices: { value: string }[] }).choices ?? []).map((c) => c.value));
        return value;
      });
      return found;
    };
    // Luleå kommun's tenant convenes as school or social services, in Luleå only.
    expect(choices('municipality')).toEqual(['Luleå']);
    expect(choices('convener')).toEqual(['skola', 'socialtjanst']);

    // Karin is not in social services' team (asked through social services' own Teams): refused.
    const asSocial = { ...scenario, convener: 'socialtjanst', summoned: 'skola,primarvard', consentParties: 'skola,primarvard', caseReference: 'NB-2026-0060' };
    const refused = await pg.skola.invoke(ORGS.skola.personalChat, reply.message!.messageId, 'submitIntake', asSocial);
    expect(cardTexts(refused.value)).toContain(sv.authority.notMember('Socialtjänst', 'Luleå'));
    expect(await bot.store.caseReferences.find('Luleå', 'NB-2026-0060')).toBeUndefined();

    // As the school, whose team she is in, the meeting is convened.
    const accepted = await pg.skola.invoke(ORGS.skola.personalChat, reply.message!.messageId, 'submitIntake', { ...scenario, summoned: 'socialtjanst', consentParties: 'socialtjanst', caseReference: 'NB-2026-0061' });
    expect(cardTexts(accepted.value)[0]).toBe('Norrbusmöte NB-2026-0061');
    await summonsIn('socialtjanst');

    // Region Norrbotten's people cannot convene as the school at all.
    await pg.primarvard.say(ORGS.primarvard.personalChat, 'norrbus nytt möte');
    const regionCard = await pg.primarvard.nextIn(ORGS.primarvard.personalChat, 'the intake card for primary care');
    const asSchool = await pg.primarvard.invoke(ORGS.primarvard.personalChat, regionCard.message!.messageId, 'submitIntake', { ...scenario, caseReference: 'NB-2026-0062' });
    expect(cardTexts(asSchool.value)).toContain(sv.authority.organisationMayNot('Region Norrbotten', 'Skola', 'Luleå'));
    expect(await bot.store.caseReferences.find('Luleå', 'NB-2026-0062')).toBeUndefined();
  });

  it('refuses to convene from a channel that is not an intake channel', async () => {
    await pg.skola.say(ORGS.skola.general, 'nytt möte', { mention: true });
    const reply = await pg.skola.nextIn(ORGS.skola.general, 'the answer in General');
    expect(reply.message?.text).toBe(sv.authority.startFromChannel);
  });

  it('refuses a summons to a party the consent does not cover', async () => {
    const { thread, cardId } = await newMeeting();
    const answer = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, caseReference: 'NB-2026-0051', consentParties: 'socialtjanst' });
    expect(cardTexts(answer.value)).toContain(sv.intake.notCovered('Primärvård'));
    expect((await bot.store.caseReferences.find('Luleå', 'NB-2026-0051'))).toBeUndefined();
  });

  it('lets the convener cancel with a reason, telling every party', async () => {
    const { thread, cardId } = await newMeeting();
    const submitted = await pg.skola.invoke(thread, cardId, 'submitIntake', { ...scenario, summoned: 'socialtjanst', consentParties: 'socialtjanst', caseReference: 'NB-2026-0002' });
    await summonsIn('socialtjanst');
    const data = executeData(submitted.value, 'cancelMeeting');
    expect(cardTexts((await pg.skola.invoke(thread, cardId, 'cancelMeeting', { ...data, reason: '' })).value)).toContain(sv.meeting.cancelRequired);
    const cancelled = await pg.skola.invoke(thread, cardId, 'cancelMeeting', { ...data, reason: 'Familjen har flyttat från kommunen' });
    expect(cardTexts(cancelled.value)).toContain('Mötet är inställt: Familjen har flyttat från kommunen');
    const told = await pg.socialtjanst.next((f) => f.action === 'createMessage' && f.message?.text === 'Norrbusmöte NB-2026-0002 är inställt: Familjen har flyttat från kommunen', 'the cancellation notice');
    expect(told.actionConversationId.startsWith(ORGS.socialtjanst.intakeChannel)).toBe(true);
  });
});
