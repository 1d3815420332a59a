import { afterAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/store/store';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, Playground, type Frame } from '../support/playground';
import { nudgeDay, requireBuiltCli, seedNudgeMeetings, startTick } from '../support/reminderSeed';
import { testTablePrefix } from '../support/store';

const COUNT = 1_000;

/** A reminder card the bot posted as a reply in a thread. */
const isReminder = (f: Frame) =>
  f.action === 'createMessage' && f.actionConversationId.includes(';messageid=') && cardTexts(cardOf(f))[0]?.startsWith('Påminnelse – Norrbusmöte') === true;

describe('two reminder passes in parallel (two processes, one Azurite)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it(`delivers each of ${COUNT} due reminders exactly once, one card per thread`, async () => {
    requireBuiltCli();
    const connectionString = inject('storageConnectionString');
    const tablePrefix = testTablePrefix();
    const store = await openStore({ connectionString, tablePrefix });
    // Nothing is sent to a bot: the Playground only receives what the passes post.
    const pg = await Playground.start('http://127.0.0.1:9/api/messages', ORGS.socialtjanst);
    cleanups.push(() => pg.stop());

    const started = Date.now();
    const seeded = await seedNudgeMeetings(store, { party: 'socialtjanst', count: COUNT, playground: pg, concurrency: 20 });
    const { at, nudgeDate } = nudgeDay();
    expect(await store.reminders.due(nudgeDate)).toHaveLength(COUNT);

    const seededAt = Date.now();
    const [first, second] = await Promise.all([startTick(at, { connectionString, tablePrefix }).done, startTick(at, { connectionString, tablePrefix }).done]);
    for (const run of [first, second]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.result, run.stdout).toBeDefined();
    }
    const passedAt = Date.now();
    expect(first.result!.delivered + second.result!.delivered).toBe(COUNT);
    // Both passes really ran over the same reminders at once (each won some of the claims).
    expect(Math.min(first.result!.delivered, second.result!.delivered), 'one pass did all the work: they did not overlap').toBeGreaterThan(0);
    expect(first.result!.posted + second.result!.posted).toBe(COUNT);
    expect(first.result!.retrying + second.result!.retrying + first.result!.dropped + second.result!.dropped).toBe(0);

    // Every card reached the Playground: exactly one per seeded thread, and nothing more comes.
    await expect.poll(() => pg.frames.filter(isReminder).length, { timeout: 15_000 }).toBe(COUNT);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reminders = pg.frames.filter(isReminder);
    expect(reminders).toHaveLength(COUNT);
    const perThread = new Map<string, number>();
    for (const f of reminders) perThread.set(f.actionConversationId, (perThread.get(f.actionConversationId) ?? 0) + 1);
    expect([...perThread.values()].every((n) => n === 1)).toBe(true);
    expect([...perThread.keys()].sort()).toEqual(seeded.map((s) => s.threadId).sort());
    // Each card is the right meeting's.
    const titleOf = new Map(seeded.map((s) => [s.threadId, `Påminnelse – Norrbusmöte ${s.caseReference}`]));
    expect(reminders.filter((f) => cardTexts(cardOf(f))[0] !== titleOf.get(f.actionConversationId))).toEqual([]);

    expect(await store.reminders.due(nudgeDate)).toHaveLength(0);
    const sent = (await store.audit.listMonth(nudgeDate.slice(0, 7))).filter((e) => e.action === 'reminderSent');
    expect(sent).toHaveLength(COUNT);
    expect(new Set(sent.map((e) => e.key)).size).toBe(COUNT);
    expect(sent.every((e) => e.details.kind === 'answerNudge' && e.details.thread === 'socialtjanst')).toBe(true);
    console.log(
      `parallel passes: ${first.result!.delivered} + ${second.result!.delivered} delivered; seeding ${((seededAt - started) / 1000).toFixed(1)} s, both passes ${((passedAt - seededAt) / 1000).toFixed(1)} s`,
    );
    // About 40 s alone on 2 cores (seeding most of it); the limit leaves room for a machine shared with other suites.
  }, 240_000);
});
