import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { travellingClock } from '../support/bot';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, type Frame } from '../support/playground';
import { registerForum, startRound, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026, 09:00 in Luleå (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';

const isSummons = (channel: string, ref: string) => (f: Frame) =>
  f.action === 'createMessage' && f.actionConversationId === channel && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === `Kallelse till Norrbusmöte ${ref}`;

/**
 * One organisation's Teams hangs or disappears while a meeting is convened: the others are
 * summoned on time, the convener's click is answered at once, the hanging party gets its summons
 * once when its Teams is back, and a party gone for good is given up on with the convener told once.
 */
describe('when one organisation\'s Teams hangs or is gone', () => {
  let round: Round;
  const time = travellingClock(START);

  beforeAll(async () => {
    round = await startRound(START, time.clock, { CONNECTOR_TIMEOUT_SECONDS: '1', SEND_GIVE_UP_HOURS: '24' });
  }, 120_000);
  afterAll(() => round?.stop());

  async function convene(caseReference: string) {
    const post = await round.pg.skola.say(ORGS.skola.intakeChannel, 'nytt möte', { mention: true });
    const thread = post.postConversationId!;
    const card = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
    const started = Date.now();
    const status = await round.pg.skola.invoke(thread, card.message!.messageId, 'submitIntake', { ...SCENARIO_INTAKE, caseReference });
    return { thread, answeredInMs: Date.now() - started, status };
  }

  it('summons social services on time while primary care hangs, and primary care when it is back (a post taken before the hang at most once more)', async () => {
    round.pg.primarvard.hang();
    const { answeredInMs, status } = await convene('NB-2026-0301');
    expect(cardTexts(status.value)[0]).toBe('Norrbusmöte NB-2026-0301');
    expect(answeredInMs).toBeLessThan(3_000);
    const started = Date.now();
    await round.pg.socialtjanst.next(isSummons(ORGS.socialtjanst.intakeChannel, 'NB-2026-0301'), 'the summons to social services', 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);

    const meetingId = (await round.bot.store.caseReferences.find('Luleå', 'NB-2026-0301'))!.value.meetingId;
    await expect.poll(async () => (await round.bot.store.meetings.get(meetingId))?.value.pending.find((p) => p.kind === 'summons')?.lastError, { timeout: 15_000 }).toBe('timeout');

    round.pg.primarvard.recover();
    await round.pg.primarvard.next(isSummons(ORGS.primarvard.intakeChannel, 'NB-2026-0301'), 'the summons to primary care once it answers', 40_000);
    await expect.poll(async () => (await round.bot.store.meetings.get(meetingId))?.value.pending.length, { timeout: 20_000 }).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A post the hanging Teams received before it hung is made when it wakes, besides the retry:
    // Teams has no idempotent post, so a summons can show twice after a hang, never more.
    expect(round.pg.primarvard.frames.filter(isSummons(ORGS.primarvard.intakeChannel, 'NB-2026-0301')).length).toBeLessThanOrEqual(1);
    const sent = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meetingId && e.action === 'summonsSent');
    expect(sent.map((e) => e.details.party).sort()).toEqual(['primarvard', 'socialtjanst']);
  }, 120_000);

  it('answers a deviation report within Teams\' invoke budget while the forum\'s Teams hangs, and posts it on the next click', async () => {
    await registerForum(round);
    await round.pg.primarvard.say(ORGS.primarvard.personalChat, 'norrbus avvikelse');
    const form = await round.pg.primarvard.nextIn(ORGS.primarvard.personalChat, 'the deviation form');
    const report = { municipality: 'Luleå', caseReference: '', party: 'socialtjanst', kind: 'didNotTakePart', whatHappened: 'Parten deltog inte i mötet.' };
    round.pg.skola.hang();
    const started = Date.now();
    const first = await round.pg.primarvard.invoke(ORGS.primarvard.personalChat, form.message!.messageId, 'submitDeviation', report).finally(() => undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(cardTexts(first.value).some((t) => t.includes(sv.deviation.notReached))).toBe(true);
    // The form became the reporter's copy of the report, and it still sends the report again.
    expect(executeData(first.value, 'submitDeviation')).toBeDefined();
    const isReport = (channel: string) => (f: Frame) => f.action === 'createMessage' && f.actionConversationId === channel && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0]?.startsWith('Avvikelserapport AV-') === true;
    await round.pg.socialtjanst.next(isReport(ORGS.socialtjanst.intakeChannel), 'the report in social services');

    round.pg.skola.recover();
    const second = await round.pg.primarvard.invoke(ORGS.primarvard.personalChat, form.message!.messageId, 'submitDeviation', report);
    expect(cardTexts(second.value).some((t) => t.includes(sv.deviation.notReached))).toBe(false);
    await round.pg.skola.next(isReport(ORGS.skola.general), 'the report in the forum');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(round.pg.socialtjanst.frames.filter(isReport(ORGS.socialtjanst.intakeChannel))).toHaveLength(0);
    // The post the hanging Teams received before it hung is made when it wakes: Teams has no
    // idempotent post, so that one can show twice, never more.
    expect(round.pg.skola.frames.filter(isReport(ORGS.skola.general)).length).toBeLessThanOrEqual(1);
    expect(await round.bot.store.deviations.forMunicipality('Luleå')).toHaveLength(1);
  }, 60_000);

  it('gives up on a party whose Teams stays away past SEND_GIVE_UP_HOURS, and tells the convener once', async () => {
    await round.pg.primarvard.stop();
    const { thread } = await convene('NB-2026-0302');
    await round.pg.socialtjanst.next(isSummons(ORGS.socialtjanst.intakeChannel, 'NB-2026-0302'), 'the summons to social services');
    const meetingId = (await round.bot.store.caseReferences.find('Luleå', 'NB-2026-0302'))!.value.meetingId;
    await expect.poll(async () => (await round.bot.store.meetings.get(meetingId))?.value.pending.find((p) => p.kind === 'summons')?.lastError, { timeout: 15_000 }).toBe('network');

    // A day and an hour later the next try gives up.
    time.travel('2026-03-03T09:05:00Z');
    const told = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread && f.message?.text === sv.reminder.sendGivenUp('Primärvård', 'NB-2026-0302'), 'the convener told', 40_000);
    expect(told).toBeDefined();
    await expect.poll(async () => (await round.bot.store.meetings.get(meetingId))?.value.summons.primarvard?.failed, { timeout: 10_000 }).toBe('network');
    await round.pg.skola.next((f) => f.action === 'updateMessage' && cardTexts(cardOf(f)).includes(sv.meeting.sendFailed), 'the status card shows primary care unreachable');
    await expect.poll(async () => (await round.bot.store.meetings.get(meetingId))?.value.pending.length, { timeout: 10_000 }).toBe(0);
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meetingId && e.action === 'sendFailed');
    expect(audit.map((e) => e.details)).toEqual([{ kind: 'summons', party: 'primarvard', reason: 'network' }]);
    expect(round.pg.skola.frames.filter((f) => f.message?.text === sv.reminder.sendGivenUp('Primärvård', 'NB-2026-0302'))).toHaveLength(0);
  }, 120_000);
});
