import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Child } from '../../scripts/lib/child';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { freePort } from '../../scripts/lib/ports';
import { openStore, type Store } from '../../src/store/store';
import { startBotProcess } from '../support/botProcess';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, executeData, inputsOf, Playground, type Frame } from '../support/playground';
import { SCENARIO_INTAKE } from '../support/scenario';
import { testTablePrefix } from '../support/store';

const today = () => DateTime.now().setZone('Europe/Stockholm');

/** An intake for the coming weeks (the bot runs on the real clock here). */
function intake(caseReference: string) {
  return {
    ...SCENARIO_INTAKE,
    caseReference,
    consentDate: today().toISODate()!,
    time1Date: today().plus({ days: 14 }).toISODate()!,
    time2Date: today().plus({ days: 15 }).toISODate()!,
  };
}

const isSummons = (channel: string, ref: string) => (f: Frame) =>
  f.action === 'createMessage' && f.actionConversationId === channel && cardTexts(cardOf(f))[0] === `Kallelse till Norrbusmöte ${ref}`;

/**
 * The bot killed (SIGKILL, through its crash-point hook) between the writes of `nytt möte`, of a
 * summons answer and of a commitment save, and started again: the audit trail, the thread and
 * "mina möten" links and the sends are complete afterwards, and nothing is doubled.
 */
describe('a bot killed between the writes of a change', () => {
  let store: Store;
  let port: number;
  let prefix: string;
  let bot: Child | undefined;
  let pg: { skola: Playground; socialtjanst: Playground; primarvard: Playground };

  beforeAll(async () => {
    prefix = testTablePrefix();
    port = await freePort();
    store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix: prefix });
    const endpoint = `http://127.0.0.1:${port}/api/messages`;
    const started = await Promise.all([Playground.start(endpoint, ORGS.skola), Playground.start(endpoint, ORGS.socialtjanst), Playground.start(endpoint, ORGS.primarvard)]);
    pg = { skola: started[0], socialtjanst: started[1], primarvard: started[2] };
    await seedDemoDirectory(store, { skola: pg.skola.serviceUrl, socialtjanst: pg.socialtjanst.serviceUrl, primarvard: pg.primarvard.serviceUrl }, new Date());
  }, 120_000);
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await Promise.all(Object.values(pg ?? {}).map((p) => p.stop()));
  });

  /** (Re)starts the bot, dying at `crashAt` when given. */
  async function restart(crashAt?: string): Promise<void> {
    if (bot) await bot.stop('SIGKILL');
    bot = await startBotProcess(port, prefix, crashAt ? { NORRBUS_CRASH_AT: crashAt } : {});
  }

  /** Waits until the killed bot's process is gone. */
  async function died(): Promise<void> {
    const code = await Promise.race([bot!.exited, new Promise((resolve) => setTimeout(() => resolve('alive'), 10_000))]);
    expect(code).not.toBe('alive');
  }

  const auditOf = async (meetingId: string) =>
    (await store.audit.listMonth(new Date().toISOString().slice(0, 7))).filter((e) => e.key === meetingId).map((e) => e.action).sort();

  async function meetingOf(ref: string): Promise<string> {
    await expect.poll(async () => (await store.caseReferences.find('Luleå', ref))?.value.meetingId, { timeout: 10_000 }).toBeTruthy();
    return (await store.caseReferences.find('Luleå', ref))!.value.meetingId;
  }

  /** Everything the outbox holds for the meeting is done: no sends, no effects, no mark. */
  async function settled(meetingId: string): Promise<void> {
    await expect
      .poll(async () => {
        const meeting = (await store.meetings.get(meetingId))?.value;
        const commitments = await store.commitments.forMeeting(meetingId);
        return [meeting?.pending.length, meeting?.effects?.length ?? 0, commitments.reduce((n, c) => n + (c.effects?.length ?? 0), 0)];
      }, { timeout: 45_000 })
      .toEqual([0, 0, 0]);
  }

  async function newIntakeCard() {
    const post = await pg.skola.say(ORGS.skola.intakeChannel, 'nytt möte', { mention: true });
    const thread = post.postConversationId!;
    const card = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
    return { thread, cardId: card.message!.messageId };
  }

  it('keeps every audit row and link of "nytt möte" when killed after the meeting is stored, without doubling on a retry', async () => {
    await restart();
    const { thread, cardId } = await newIntakeCard();
    await restart('intake:stored');
    await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0801')).catch(() => undefined);
    await died();
    const meetingId = await meetingOf('NB-2026-0801');
    expect((await store.meetings.get(meetingId))?.value.effects?.length).toBeGreaterThan(0);

    await restart();
    await Promise.all([pg.socialtjanst.next(isSummons(ORGS.socialtjanst.intakeChannel, 'NB-2026-0801'), 'summons'), pg.primarvard.next(isSummons(ORGS.primarvard.intakeChannel, 'NB-2026-0801'), 'summons')]);
    await settled(meetingId);
    // Karin clicks again, since her first click got no answer: the same meeting, nothing doubled.
    const again = await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0801'));
    expect(cardTexts(again.value)[0]).toBe('Norrbusmöte NB-2026-0801');
    await settled(meetingId);
    expect(await auditOf(meetingId)).toEqual(['consentRecorded', 'meetingCreated', 'summonsSent', 'summonsSent']);
    expect((await store.threads.meetingsIn(thread)).map((t) => t.role)).toEqual(['convener']);
    expect((await store.userMeetings.forUser(ORGS.skola.currentUser.aadObjectId)).filter((l) => l.meetingId === meetingId).map((l) => l.role)).toEqual(['convener']);
    // The reminders were planned by the effect, not lost with the killed process.
    expect((await store.meetings.get(meetingId))!.value.reminderRefs.length).toBeGreaterThan(0);
  });

  it('creates the meeting once when killed after the case reference is claimed, and the convener clicks again', async () => {
    await restart();
    const { thread, cardId } = await newIntakeCard();
    await restart('intake:claimed');
    await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0802')).catch(() => undefined);
    await died();
    const meetingId = await meetingOf('NB-2026-0802');
    expect(await store.meetings.get(meetingId)).toBeUndefined();

    await restart();
    const again = await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0802'));
    expect(cardTexts(again.value)[0]).toBe('Norrbusmöte NB-2026-0802');
    await settled(meetingId);
    expect(await auditOf(meetingId)).toEqual(['consentRecorded', 'meetingCreated', 'summonsSent', 'summonsSent']);
  });

  it('keeps the answer\'s audit row and "mina möten" link when killed after the answer is stored', async () => {
    await restart();
    const { thread, cardId } = await newIntakeCard();
    await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0803'));
    const summons = await pg.socialtjanst.next(isSummons(ORGS.socialtjanst.intakeChannel, 'NB-2026-0803'), 'the summons to social services');
    const meetingId = await meetingOf('NB-2026-0803');
    await settled(meetingId);

    await restart('answer:stored');
    const answer = { ...executeData(cardOf(summons), 'answerSummons'), answer: 'attend', participant: 'Jonas Nilsson, socialsekreterare', time: intake('x').time1Date + 'T13:00' };
    await pg.socialtjanst.invoke(summons.message!.postConversationId!, summons.message!.messageId, 'answerSummons', answer).catch(() => undefined);
    await died();
    expect((await store.meetings.get(meetingId))?.value.answers.socialtjanst?.kind).toBe('attend');

    await restart();
    await settled(meetingId);
    // A second click after the restart records nothing twice.
    await pg.socialtjanst.invoke(summons.message!.postConversationId!, summons.message!.messageId, 'answerSummons', answer);
    await settled(meetingId);
    expect((await auditOf(meetingId)).filter((a) => a === 'summonsAnswered')).toHaveLength(1);
    expect((await store.userMeetings.forUser(ORGS.socialtjanst.currentUser.aadObjectId)).filter((l) => l.meetingId === meetingId).map((l) => l.role)).toEqual(['answered']);
  });

  it('keeps a saved commitment\'s audit row and plan cards when killed after the commitment is stored', async () => {
    await restart();
    const { thread, cardId } = await newIntakeCard();
    await pg.skola.invoke(thread, cardId, 'submitIntake', intake('NB-2026-0804'));
    const meetingId = await meetingOf('NB-2026-0804');
    await settled(meetingId);

    await pg.skola.say(thread, 'åtagande Skolan ansvarar för anpassad studiegång, 3 dagar/vecka, utförs av specialpedagog', { mention: true });
    const confirm = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread && !!f.message?.attachments?.length, 'the confirmation card');
    await restart('commitment:stored');
    const save = { ...executeData(cardOf(confirm), 'saveCommitment'), ...inputsOf(cardOf(confirm)) };
    await pg.skola.invoke(thread, confirm.message!.messageId, 'saveCommitment', save).catch(() => undefined);
    await died();
    expect(await store.commitments.forMeeting(meetingId)).toHaveLength(1);

    await restart();
    await pg.skola.next((f) => f.actionConversationId === thread && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Plan för Norrbusmöte NB-2026-0804', 'the plan card after the restart');
    await settled(meetingId);
    await pg.skola.invoke(thread, confirm.message!.messageId, 'saveCommitment', save);
    await settled(meetingId);
    expect(await store.commitments.forMeeting(meetingId)).toHaveLength(1);
    expect((await auditOf(meetingId)).filter((a) => a === 'commitmentSaved')).toHaveLength(1);
  });
});
