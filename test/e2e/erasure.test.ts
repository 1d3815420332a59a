import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeYear } from '../../src/domain/indicators';
import { MUNICIPALITIES } from '../../src/domain/municipality';
import { createLogger } from '../../src/log';
import { eraseCase } from '../../src/scheduler/erasure';
import { loadYear } from '../../src/stats';
import { sv } from '../../src/texts/sv';
import { dumpTables } from '../bot/tables';
import { travellingClock } from '../support/bot';
import { norrbus } from '../support/cli';
import { cardOf, cardTexts, executeData, inputsOf, type Frame } from '../support/playground';
import { convene, registerForum, startRound, type Round } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';

/** Monday 2 March 2026, 09:00 in Luleå (SCENARIO.md). */
const START = '2026-03-02T08:00:00Z';

/** What the professionals typed about the case: none of it may be left anywhere once it is erased. */
const TYPED = {
  purpose: 'Ökande frånvaro och sömnsvårigheter; behov av samlad bild och plan',
  place: 'Sunderby skola, konferensrum 2',
  participant: 'Jonas Nilsson, socialsekreterare',
  reason: 'Redan aktuell hos BUP sedan i våras',
  intervention: 'anpassad studiegång',
  question: 'Vem bekostar skolskjutsen till den nya skolan',
};

const figures = async (round: Round) => computeYear(await loadYear(round.bot.store, 2026), { municipalities: [...MUNICIPALITIES], county: true });

/**
 * A case with answers, a commitment and a disagreement is erased: at once when consent is
 * withdrawn, after the retention time when it was cancelled, or on request. Afterwards no table
 * holds anything the professionals typed, every message about it in Teams is neutral, and the
 * year's figures are the same as before.
 */
describe('the bot forgets a case', () => {
  let round: Round;
  const time = travellingClock(START);

  beforeAll(async () => {
    round = await startRound(START, time.clock);
    await registerForum(round);
  }, 120_000);
  afterAll(() => round?.stop());

  /** Every frame a Playground saw that still shows one of the typed texts, as it stands now (the latest version of each message). */
  function stillShown(frames: Frame[]): string[] {
    const latest = new Map<string, string>();
    for (const f of frames) if (f.message) latest.set(f.message.messageId, JSON.stringify(f.message));
    return [...latest.values()].filter((m) => Object.values(TYPED).some((t) => m.includes(t)));
  }

  it('erases everything but the statistics when consent is withdrawn, and neutralises every card about it', async () => {
    const meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0401', purpose: TYPED.purpose, place: TYPED.place });
    const soc = meeting.summons.socialtjanst;
    await round.pg.socialtjanst.invoke(soc.thread, soc.cardId, 'answerSummons', { ...executeData(cardOf(soc.frame), 'answerSummons'), answer: 'attend', participant: TYPED.participant, time: '2026-03-12T13:00' });
    const pv = meeting.summons.primarvard;
    await round.pg.primarvard.invoke(pv.thread, pv.cardId, 'answerSummons', { ...executeData(cardOf(pv.frame), 'answerSummons'), answer: 'decline', reason: TYPED.reason });

    await round.pg.skola.say(meeting.thread, `åtagande Skolan ansvarar för ${TYPED.intervention}, 3 dagar/vecka, utförs av specialpedagog`, { mention: true });
    const confirm = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === meeting.thread && !!f.message?.attachments?.length, 'the confirmation card');
    await round.pg.skola.invoke(meeting.thread, confirm.message!.messageId, 'saveCommitment', { ...executeData(cardOf(confirm), 'saveCommitment'), ...inputsOf(cardOf(confirm)) });

    await round.pg.skola.say(meeting.thread, 'oenighet', { mention: true });
    const form = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === meeting.thread && cardTexts(cardOf(f))[0] === sv.disagreement.formTitle, 'the disagreement form');
    await round.pg.skola.invoke(meeting.thread, form.message!.messageId, 'submitDisagreement', { meetingId: meeting.meetingId, parties: 'skola,socialtjanst', question: TYPED.question, level: 'management' });
    // Cancelled first, so the figures compared are those of a cancelled meeting (the withdrawal cancels it too).
    await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'cancelMeeting', { meetingId: meeting.meetingId, reason: 'Inget möte behövs' });
    await expect.poll(async () => (await round.bot.store.meetings.get(meeting.meetingId))?.value.pending.length, { timeout: 15_000 }).toBe(0);
    const before = await figures(round);
    const dumpBefore = JSON.stringify(await dumpTables(round.bot.storage));
    expect(Object.values(TYPED).every((t) => dumpBefore.includes(t))).toBe(true);

    await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'withdrawConsent', { meetingId: meeting.meetingId });
    await expect.poll(async () => round.bot.store.meetings.get(meeting.meetingId), { timeout: 20_000 }).toBeUndefined();

    const dump = JSON.stringify(await dumpTables(round.bot.storage));
    for (const text of [...Object.values(TYPED), 'NB-2026-0401']) expect(dump, text).not.toContain(text);
    expect(await round.bot.store.statistics.get('Luleå', meeting.meetingId)).toBeDefined();
    expect(await figures(round)).toEqual(before);
    // Every card and notice about the case, in all three organisations' threads, now says only that it ended.
    await expect.poll(() => [round.pg.skola, round.pg.socialtjanst, round.pg.primarvard].flatMap((p) => stillShown(p.frames)), { timeout: 10_000 }).toEqual([]);
    const neutral = round.pg.socialtjanst.frames.filter((f) => f.action === 'updateMessage' && f.message?.text === sv.erasure.consentWithdrawn);
    expect(neutral.length).toBeGreaterThan(0);
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meeting.meetingId);
    expect(audit.filter((e) => e.action === 'caseErased').map((e) => e.details.reason)).toEqual(['consentWithdrawn']);
    expect(audit.filter((e) => e.action !== 'caseErased').every((e) => Object.keys(e.details).length === 0)).toBe(true);

    // Erasing again finds nothing left and writes nothing.
    const log = createLogger('silent');
    expect(await eraseCase({ store: round.bot.store, replacer: { updateText: async () => undefined, failureOf: () => ({ kind: 'gone', reason: 'x' }) }, log }, meeting.meetingId, new Date(), 'system')).toBe('gone');
    expect(JSON.stringify(await dumpTables(round.bot.storage))).toBe(dump);
  }, 120_000);

  it('erases a cancelled case after RETENTION_DAYS with `norrbus erase --expired`, and one case on request with `--case`', async () => {
    const cancelled = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0402', purpose: TYPED.purpose, place: TYPED.place });
    await round.pg.skola.invoke(cancelled.thread, cancelled.statusCardId, 'cancelMeeting', { meetingId: cancelled.meetingId, reason: 'Familjen har flyttat' });
    const requested = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0403', purpose: TYPED.purpose, place: TYPED.place });
    // A coordination that was held and then closed by the convener ("Avsluta samordningen").
    const closed = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0407', purpose: TYPED.purpose, place: TYPED.place });
    for (const party of ['socialtjanst', 'primarvard'] as const) {
      const s = closed.summons[party];
      await round.pg[party].invoke(s.thread, s.cardId, 'answerSummons', { ...executeData(cardOf(s.frame), 'answerSummons'), answer: 'attend', participant: 'Deltagare', time: '2026-03-12T13:00' });
    }
    const early0 = await round.pg.skola.invoke(closed.thread, closed.statusCardId, 'closeCase', { meetingId: closed.meetingId, closeReason: 'insatserGenomforda' });
    expect(cardTexts(early0.value)).toContain(sv.meeting.onlyFixedCloses);
    await round.pg.skola.invoke(closed.thread, closed.statusCardId, 'fixMeeting', { meetingId: closed.meetingId, time: '2026-03-12T13:00' });
    // Nothing left to follow up 40 working days after the meeting: the convener is asked to close it, on a card in her thread.
    await expect.poll(async () => (await round.bot.store.meetings.get(closed.meetingId))?.value.reminderRefs.some((r) => r.startsWith('2026-05-12|') && r.includes('closeProposal')), { timeout: 10_000 }).toBe(true);
    expect((await round.bot.reminders.run(new Date('2026-05-12T09:00:00+02:00'))).posted).toBeGreaterThanOrEqual(1);
    const proposal = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === closed.thread && !!f.message?.attachments?.length && cardTexts(cardOf(f)).includes(sv.reminder.closeProposal('NB-2026-0407')), 'the proposal to close');
    const closing = await round.pg.skola.invoke(closed.thread, proposal.message!.messageId, 'closeCase', { ...executeData(cardOf(proposal), 'closeCase'), closeReason: 'insatserGenomforda' });
    expect(cardTexts(closing.value)).toContain(sv.meeting.closed(sv.meeting.closingReason.insatserGenomforda));
    expect((await round.bot.store.meetings.get(closed.meetingId))!.value.closure?.reason).toBe('insatserGenomforda');
    const env = { STORAGE_CONNECTION_STRING: round.bot.storage.connectionString, STORAGE_TABLE_PREFIX: round.bot.storage.tablePrefix };

    const early = await norrbus(['erase', '--expired', '--dry-run', '--at', '2026-04-01T09:00:00+02:00'], env);
    expect(JSON.parse(early.stdout)).toMatchObject({ dryRun: true, due: [] });
    const dry = await norrbus(['erase', '--expired', '--dry-run', '--at', '2026-06-02T09:00:00+02:00'], env);
    expect(JSON.parse(dry.stdout).due.sort()).toEqual([cancelled.meetingId, closed.meetingId].sort());
    expect(await round.bot.store.meetings.get(cancelled.meetingId)).toBeDefined();

    // An audit row older than AUDIT_RETENTION_DAYS (730) goes too.
    await round.bot.store.audit.append({ at: '2024-05-31T08:00:00.000Z', actor: 'system', action: 'installBot', entity: 'Installation', key: 'old' });
    const before = await figures(round);
    const run = await norrbus(['erase', '--expired', '--at', '2026-06-02T09:00:00+02:00'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ erased: 2, waiting: 0, auditRowsRemoved: 1 });
    expect(await round.bot.store.audit.listMonth('2024-05')).toEqual([]);
    expect(await round.bot.store.meetings.get(cancelled.meetingId)).toBeUndefined();
    expect(await round.bot.store.meetings.get(closed.meetingId)).toBeUndefined();
    expect(await round.bot.store.meetings.get(requested.meetingId)).toBeDefined();
    expect(await figures(round)).toEqual(before);
    const again = await norrbus(['erase', '--expired', '--at', '2026-06-02T09:00:00+02:00'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ due: [], erased: 0 });

    expect((await norrbus(['erase', '--case', 'NB-2026-0403', '--kommun', 'Luleå'], env)).code).toBe(2);
    const one = await norrbus(['erase', '--case', 'NB-2026-0403', '--kommun', 'lulea', '--operator', 'Drift Norrbus', '--at', '2026-06-02T10:00:00+02:00'], env);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ meetingId: requested.meetingId, outcome: 'erased' });
    const dump = JSON.stringify(await dumpTables(round.bot.storage));
    for (const text of [TYPED.purpose, TYPED.place, 'NB-2026-0402', 'NB-2026-0403', 'NB-2026-0407']) expect(dump, text).not.toContain(text);
    const erased = (await round.bot.store.audit.listMonth('2026-06')).filter((e) => e.action === 'caseErased');
    expect(erased.map((e) => [e.key, e.details.reason, e.actor])).toEqual(
      expect.arrayContaining([
        [cancelled.meetingId, 'retention', 'system'],
        [requested.meetingId, 'request', 'operator:Drift Norrbus'],
      ]),
    );
    expect((await norrbus(['erase', '--case', 'NB-2026-0403', '--kommun', 'Luleå', '--operator', 'Drift Norrbus'], env)).code).toBe(1);
  }, 120_000);

  it('finishes an erasure killed half-way when run again, and erases once when two run at the same time', async () => {
    const env = { STORAGE_CONNECTION_STRING: round.bot.storage.connectionString, STORAGE_TABLE_PREFIX: round.bot.storage.tablePrefix };
    const args = (ref: string) => ['erase', '--case', ref, '--kommun', 'Luleå', '--operator', 'Drift Norrbus', '--at', '2026-06-03T10:00:00+02:00'];
    for (const [ref, crashAt] of [['NB-2026-0404', 'erase:kept'], ['NB-2026-0405', 'erase:halfway']] as const) {
      const meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: ref, purpose: TYPED.purpose, place: TYPED.place });
      const killed = await norrbus(args(ref), { ...env, NORRBUS_CRASH_AT: crashAt });
      expect(killed.code, crashAt).toBeNull();
      expect(await round.bot.store.statistics.get('Luleå', meeting.meetingId)).toBeDefined();
      // Finished by whoever comes next: the request run again, or the bot's outbox, which holds the
      // erasure the killed run marked (then the rerun finds the case already erased).
      const rerun = await norrbus(args(ref), env);
      expect([0, 1], rerun.stderr).toContain(rerun.code);
      if (rerun.code === 1) expect(rerun.stderr.trim()).toBe(sv.cliErase.unknownCase(ref));
      await expect.poll(async () => round.bot.store.meetings.get(meeting.meetingId), { timeout: 15_000 }).toBeUndefined();
    }

    const twice = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0406', purpose: TYPED.purpose, place: TYPED.place });
    const [first, second] = await Promise.all([norrbus(args('NB-2026-0406'), env), norrbus(args('NB-2026-0406'), env)]);
    expect([first.code, second.code].sort()).toEqual(expect.arrayContaining([0]));
    expect(await round.bot.store.meetings.get(twice.meetingId)).toBeUndefined();
    const erased = (await round.bot.store.audit.listMonth('2026-06')).filter((e) => e.action === 'caseErased' && e.key === twice.meetingId);
    expect(erased).toHaveLength(1);
    const dump = JSON.stringify(await dumpTables(round.bot.storage));
    for (const text of [TYPED.purpose, TYPED.place, 'NB-2026-0404', 'NB-2026-0405', 'NB-2026-0406']) expect(dump, text).not.toContain(text);
  }, 120_000);

  it('lets consent be withdrawn for one party only: that party leaves the case and its part is erased, the others go on', async () => {
    const meeting = await convene(round, { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0408' });
    const pv = meeting.summons.primarvard;
    await round.pg.primarvard.invoke(pv.thread, pv.cardId, 'answerSummons', { ...executeData(cardOf(pv.frame), 'answerSummons'), answer: 'decline', reason: TYPED.reason });
    await expect.poll(async () => (await round.bot.store.meetings.get(meeting.meetingId))?.value.pending.length, { timeout: 15_000 }).toBe(0);
    expect(JSON.stringify(await dumpTables(round.bot.storage))).toContain(TYPED.reason);

    expect(cardTexts((await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'withdrawConsent', { meetingId: meeting.meetingId, consentParties: 'polis' })).value)).toContain(sv.meeting.unknownConsentParty);
    await round.pg.skola.invoke(meeting.thread, meeting.statusCardId, 'withdrawConsent', { meetingId: meeting.meetingId, consentParties: 'primarvard' });
    await round.pg.primarvard.next((f) => f.action === 'updateMessage' && f.message?.messageId === pv.cardId && f.message?.text === sv.erasure.consentLimited, 'primary care\'s summons made neutral');
    await expect.poll(async () => (await round.bot.store.meetings.get(meeting.meetingId))?.value.summons.primarvard, { timeout: 15_000 }).toBeUndefined();

    const stored = (await round.bot.store.meetings.get(meeting.meetingId))!.value;
    expect([stored.state, stored.intake.summoned, stored.intake.consent.parties, stored.answers.primarvard]).toEqual(['summoning', ['socialtjanst'], ['socialtjanst'], undefined]);
    expect(stored.summons.socialtjanst?.threadId).toBe(meeting.summons.socialtjanst.thread);
    expect(await round.bot.store.threads.meetingsIn(pv.thread)).toEqual([]);
    expect(JSON.stringify(await dumpTables(round.bot.storage))).not.toContain(TYPED.reason);
    const audit = (await round.bot.store.audit.listMonth('2026-03')).filter((e) => e.key === meeting.meetingId && e.action === 'consentLimited');
    expect(audit.map((e) => e.details.parties)).toEqual(['primarvard']);
  }, 60_000);
});
