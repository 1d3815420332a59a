import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as activities from '../../scripts/lib/bench/activities';
import type { Child } from '../../scripts/lib/child';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { freePort } from '../../scripts/lib/ports';
import { projectRoot } from '../../src/projectRoot';
import { scheduleReminders } from '../../src/scheduler/schedule';
import { openStore, type Store } from '../../src/store/store';
import { startBotProcess } from '../support/botProcess';
import { startFaultConnector, type Delivery, type FaultConnector } from '../support/faultConnector';
import { ORGS } from '../support/organisations';
import { cardTexts } from '../support/playground';
import { mapLimit, newMeetingId, nudgeDay, nudgeMeeting, requireBuiltCli, type SeedParty } from '../support/reminderSeed';
import { testTablePrefix } from '../support/store';

/** Wednesday 4 March 2026, 10:00 in Luleå: a working day, inside the reminders' posting window. */
const START = '2026-03-04T09:00:00Z';
/** Meetings convened through the bots, half through each. */
const MEETINGS = 8;
/** Meetings whose answer nudge is due at START (summons sent Monday 2 March). */
const DUE = 12;
const PARTIES = ['socialtjanst', 'primarvard'] as const;

const cardOfDelivery = (d: Delivery) => d.activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
const titleOf = (d: Delivery) => cardTexts(cardOfDelivery(d))[0];

async function post(endpoint: string, activity: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  return { status: response.status, body: await response.text() };
}

/**
 * Two bot processes against one storage account (the shared test Azurite), the load split between
 * them, both running their outbox drains and reminder passes on their intervals, against one
 * Teams service (a loopback connector that records what it is sent): every summons, answer and
 * reminder happens exactly once, in storage and in Teams. Both bots' clocks are set to a working
 * morning (test/support/shiftedClock.cjs) so their passes post.
 */
describe('two bot instances on one storage', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it(`convenes ${MEETINGS} meetings and delivers ${DUE} due reminders with each summons, answer and reminder exactly once`, async () => {
    requireBuiltCli();
    const tablePrefix = testTablePrefix();
    const store: Store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix });
    const teams: FaultConnector = await startFaultConnector({ members: activities.rosterMembers() as unknown as Record<string, Record<string, unknown>> });
    cleanups.push(() => teams.close());
    await seedDemoDirectory(store, { skola: teams.serviceUrl, socialtjanst: teams.serviceUrl, primarvard: teams.serviceUrl }, new Date(START));

    const env = {
      NODE_OPTIONS: `--require ${path.join(projectRoot(), 'test', 'support', 'shiftedClock.cjs')}`,
      NORRBUS_TEST_CLOCK_START: START,
      REMINDER_INTERVAL_SECONDS: '1',
      REMINDER_WINDOW: '8-17',
      OUTBOX_INTERVAL_SECONDS: '0.5',
    };
    const ports = [await freePort(), await freePort()];
    const bots: Child[] = await Promise.all(ports.map((port) => startBotProcess(port, tablePrefix, env)));
    for (const bot of bots) cleanups.push(() => bot.stop('SIGTERM'));
    const endpoints = ports.map((port) => `http://127.0.0.1:${port}/api/messages`);

    // Reminders due now, written while both bots are running: their passes race for them.
    const { nudgeDate } = nudgeDay('2026-03-02');
    expect(nudgeDate).toBe('2026-03-04');
    const seeded = await mapLimit(Array.from({ length: DUE }, (_, i) => i), 6, async (i) => {
      const party: SeedParty = i % 2 === 0 ? 'socialtjanst' : 'primarvard';
      const thread = { threadId: `${ORGS[party].intakeChannel};messageid=seed-${i}`, activityId: `seed-${i}` };
      const meeting = nudgeMeeting({ id: newMeetingId(), party, serviceUrl: teams.serviceUrl, thread, summonsDate: '2026-03-02', caseReference: `NB-2026-${800 + i}` });
      await store.meetings.create(meeting);
      await scheduleReminders(store, meeting.id);
      return { meetingId: meeting.id, threadId: thread.threadId, caseReference: meeting.intake.caseReference };
    });

    // `nytt möte` with two summons, each meeting through one of the two bots in turn.
    const now = new Date(START);
    const convened = await mapLimit(Array.from({ length: MEETINGS }, (_, i) => i), 4, async (i) => {
      const caseReference = `NB-2026-${900 + i}`;
      const made = activities.submitIntake(teams.serviceUrl, `intake-${i}`, caseReference, now);
      const answer = await post(endpoints[i % 2], made.activity);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(`Norrbusmöte ${caseReference}`);
      return { ...made, caseReference };
    });

    // Each summons posted once (by whichever outbox drained it), and recorded.
    await expect
      .poll(async () => {
        const meetings = await Promise.all(convened.map((c) => store.meetings.get(c.meetingId)));
        return meetings.filter((m) => m && m.value.pending.length === 0 && PARTIES.every((p) => m.value.summons[p]?.threadId)).length;
      }, { timeout: 30_000, interval: 200 })
      .toBe(MEETINGS);

    // Each summons answered through the other bot than the meeting was convened through, and the
    // same answer sent to both bots at once (a double click landing on two instances).
    const [time] = activities.proposedTimes(now);
    await mapLimit(convened.flatMap((c, i) => PARTIES.map((party) => ({ c, i, party }))), 4, async ({ c, i, party }) => {
      const summons = (await store.meetings.get(c.meetingId))!.value.summons[party]!;
      const target = { meetingId: c.meetingId, threadId: summons.threadId!, cardId: summons.activityId!, time };
      const participant = party === 'socialtjanst' ? 'Jonas Nilsson, socialsekreterare' : 'Leila Karimi, distriktssköterska';
      const answers = await Promise.all([post(endpoints[(i + 1) % 2], activities.answerSummons(teams.serviceUrl, party, target, participant)), post(endpoints[i % 2], activities.answerSummons(teams.serviceUrl, party, target, participant))]);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toContain(`Deltar: ${participant}`);
      }
    });

    // Both passes have run over the due reminders: none is left.
    await expect.poll(async () => (await store.reminders.due(nudgeDate)).length, { timeout: 30_000, interval: 250 }).toBe(0);
    await expect.poll(async () => (await store.outbox.list()).length, { timeout: 30_000, interval: 250 }).toBe(0);
    // Nothing more arrives once everything is done.
    const settledCount = teams.deliveries.length;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(teams.deliveries.length).toBe(settledCount);

    // In storage: every meeting has both summons sent and both answers; the audit trail has each once.
    const audit = (await store.audit.listMonth('2026-03')).filter((e) => convened.some((c) => c.meetingId === e.key) || seeded.some((s) => s.meetingId === e.key));
    const count = (action: string, key: string, party?: string) => audit.filter((e) => e.action === action && e.key === key && (party === undefined || e.details.party === party)).length;
    for (const c of convened) {
      const meeting = (await store.meetings.get(c.meetingId))!.value;
      expect(count('meetingCreated', c.meetingId)).toBe(1);
      for (const party of PARTIES) {
        expect(meeting.summons[party]?.sentAt, `${c.caseReference} ${party} sent`).toBeTruthy();
        expect(meeting.answers[party]?.kind).toBe('attend');
        expect(count('summonsSent', c.meetingId, party), `${c.caseReference} summonsSent ${party}`).toBe(1);
        expect(count('summonsAnswered', c.meetingId, party), `${c.caseReference} summonsAnswered ${party}`).toBe(1);
      }
    }
    const sent = audit.filter((e) => e.action === 'reminderSent');
    expect(sent).toHaveLength(DUE);
    expect(new Set(sent.map((e) => e.key)).size).toBe(DUE);

    // In Teams: one summons card per meeting and party, in that party's channel; one reminder card per due thread.
    const summonsCards = teams.deliveries.filter((d) => d.route === 'POST /v3/conversations' && titleOf(d)?.startsWith('Kallelse till Norrbusmöte'));
    expect(summonsCards).toHaveLength(MEETINGS * PARTIES.length);
    for (const c of convened) {
      for (const party of PARTIES) {
        const cards = summonsCards.filter((d) => titleOf(d) === `Kallelse till Norrbusmöte ${c.caseReference}` && d.conversationId.startsWith(`${ORGS[party].intakeChannel};`));
        expect(cards, `${c.caseReference} summons to ${party}`).toHaveLength(1);
      }
    }
    const reminderCards = teams.deliveries.filter((d) => titleOf(d)?.startsWith('Påminnelse – Norrbusmöte'));
    expect(reminderCards).toHaveLength(DUE);
    for (const s of seeded) {
      const cards = reminderCards.filter((d) => d.conversationId === s.threadId);
      expect(cards, `reminder in ${s.threadId}`).toHaveLength(1);
      expect(titleOf(cards[0])).toBe(`Påminnelse – Norrbusmöte ${s.caseReference}`);
    }
    // Each convener's status card, as last updated in Teams, shows both answers, each once.
    for (const c of convened) {
      const meeting = (await store.meetings.get(c.meetingId))!.value;
      const updates = teams.deliveries.filter((d) => d.route === 'PUT /v3/conversations/:id/activities/:activityId' && d.activityId === meeting.convener.statusActivityId);
      expect(updates.length, `${c.caseReference} status card updated`).toBeGreaterThan(0);
      const texts = cardTexts(cardOfDelivery(updates[updates.length - 1]));
      expect(texts.filter((t) => t.includes('Deltar: Jonas Nilsson, socialsekreterare'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('Deltar: Leila Karimi, distriktssköterska'))).toHaveLength(1);
    }
    // Both bots took part: each answered requests (the load was split), and both are still up.
    for (const bot of bots) expect(bot.hasExited()).toBe(false);
  }, 180_000);
});
