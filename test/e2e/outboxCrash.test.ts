import { DateTime } from 'luxon';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { freePort } from '../../scripts/lib/ports';
import { openStore, type Store } from '../../src/store/store';
import { sv } from '../../src/texts/sv';
import { startBotProcess } from '../support/botProcess';
import { testTablePrefix } from '../support/store';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, Playground, type Frame } from '../support/playground';

const isSummons = (channel: string) => (f: Frame) =>
  f.action === 'createMessage' && f.actionConversationId === channel && cardTexts(cardOf(f))[0]?.startsWith('Kallelse till Norrbusmöte') === true;

describe('a bot killed while sending summons', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('sends each missing summons exactly once after a restart', async () => {
    const prefix = testTablePrefix();
    const botPort = await freePort();
    const endpoint = `http://127.0.0.1:${botPort}/api/messages`;
    let bot = await startBotProcess(botPort, prefix);
    cleanups.push(() => bot.stop('SIGKILL'));
    const store: Store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix: prefix });

    const pvPort = await freePort();
    const [skola, soc] = await Promise.all([Playground.start(endpoint, ORGS.skola), Playground.start(endpoint, ORGS.socialtjanst)]);
    let pv = await Playground.start(endpoint, ORGS.primarvard, pvPort);
    cleanups.push(() => skola.stop(), () => soc.stop(), () => pv.stop());
    await seedDemoDirectory(store, { skola: skola.serviceUrl, socialtjanst: soc.serviceUrl, primarvard: pv.serviceUrl }, new Date());

    // Primary care's Teams is unreachable while the summons go out.
    await pv.stop();

    const post = await skola.say(ORGS.skola.intakeChannel, 'nytt möte', { mention: true });
    const thread = post.postConversationId!;
    const intake = await skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
    const day = DateTime.now().setZone('Europe/Stockholm').plus({ days: 14 }).toISODate()!;
    const submitted = await skola.invoke(thread, intake.message!.messageId, 'submitIntake', {
      municipality: 'Luleå',
      convener: 'skola',
      summoned: 'socialtjanst,primarvard',
      caseReference: 'NB-2026-0900',
      age: '9',
      gender: 'pojke',
      purpose: 'Behov av samlad planering kring skolgång och hälsa',
      consentDate: DateTime.now().setZone('Europe/Stockholm').toISODate()!,
      consentFrom: 'vardnadshavare',
      consentParties: 'socialtjanst,primarvard',
      consentConfirmed: 'true',
      time1Date: day,
      time1Time: '10:00',
      place: 'Digitalt möte',
    });
    expect(cardTexts(submitted.value)[0]).toBe('Norrbusmöte NB-2026-0900');
    await soc.next(isSummons(ORGS.socialtjanst.intakeChannel), 'the summons to social services');

    // Wait until the bot has tried primary care and failed, then kill it without warning.
    const meetingId = (await store.caseReferences.find('Luleå', 'NB-2026-0900'))!.value.meetingId;
    await expect
      .poll(async () => (await store.meetings.get(meetingId))?.value.pending.find((p) => p.kind === 'summons')?.lastError, { timeout: 40_000 })
      .toBeTruthy();
    bot.process.kill('SIGKILL');
    await bot.exited;

    pv = await Playground.start(endpoint, ORGS.primarvard, pvPort);
    bot = await startBotProcess(botPort, prefix);

    await pv.next(isSummons(ORGS.primarvard.intakeChannel), 'the summons to primary care after the restart');
    await skola.next(
      (f) => f.action === 'updateMessage' && cardTexts(cardOf(f)).filter((t) => t === sv.meeting.waiting).length === 2,
      'the status card: both summons sent',
    );
    // A send the killed bot had claimed waits for its lease (30 s) to run out before the new bot takes it.
    await expect.poll(async () => (await store.meetings.get(meetingId))?.value.pending.length, { timeout: 60_000 }).toBe(0);
    await expect.poll(async () => (await store.outbox.list()).length, { timeout: 60_000 }).toBe(0);

    // Nothing more arrives: each party got its summons once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(soc.frames.filter(isSummons(ORGS.socialtjanst.intakeChannel))).toHaveLength(0);
    expect(pv.frames.filter(isSummons(ORGS.primarvard.intakeChannel))).toHaveLength(0);
    const sent = (await store.audit.listMonth(new Date().toISOString().slice(0, 7))).filter((e) => e.action === 'summonsSent');
    expect(sent.map((e) => e.details.party).sort()).toEqual(['primarvard', 'socialtjanst']);
    const meeting = (await store.meetings.get(meetingId))!.value;
    expect(meeting.summons.primarvard?.sentAt).toBeTruthy();
    expect(meeting.summons.socialtjanst?.sentAt).toBeTruthy();
  }, 180_000);
});
