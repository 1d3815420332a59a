import net from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports';
import { openStore } from '../../src/store/store';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, Playground, type Frame } from '../support/playground';
import { nudgeDay, requireBuiltCli, seedNudgeMeetings, startTick } from '../support/reminderSeed';
import { testTablePrefix } from '../support/store';

const PER_PARTY = 30;
/** After the 120 s claim lease of a pass that died, and after the 60 s backoff of a first failed send. */
const RERUN_AFTER_MS = 3 * 60_000;

const isReminder = (f: Frame) =>
  f.action === 'createMessage' && f.actionConversationId.includes(';messageid=') && cardTexts(cardOf(f))[0]?.startsWith('Påminnelse – Norrbusmöte') === true;

/**
 * The way to primary care's Teams, which can hang and come back: a TCP relay on a fixed port in
 * front of its Playground. Hanging, the port accepts connections that never answer, as a Teams
 * service under trouble does (each call then ends at the connector's timeout). The Playground itself
 * keeps running because it holds its threads in memory only.
 */
class Relay {
  private server?: net.Server;
  private hanging = false;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  /** Forwards to the Playground (listening first if need be). */
  async open(): Promise<void> {
    this.hanging = false;
    if (this.server) return;
    const server = net.createServer((client) => {
      this.track(client);
      if (this.hanging) return;
      const upstream = net.connect(this.target, '127.0.0.1');
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** From now on connections are accepted and never answered. */
  hang(): void {
    this.hanging = true;
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('a reminder pass killed mid-way and run again', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('loses nothing and doubles nothing', async () => {
    requireBuiltCli();
    const connectionString = inject('storageConnectionString');
    const tablePrefix = testTablePrefix();
    const storage = { connectionString, tablePrefix };
    const store = await openStore(storage);
    const endpoint = 'http://127.0.0.1:9/api/messages'; // nothing is sent to a bot
    const [a, b] = await Promise.all([Playground.start(endpoint, ORGS.socialtjanst), Playground.start(endpoint, ORGS.primarvard)]);
    cleanups.push(() => a.stop(), () => b.stop());
    const relay = new Relay(await freePort(), Number(new URL(b.url).port));
    await relay.open();
    cleanups.push(() => relay.close());

    // Social services' meetings sort first in the due partition (ids m0…), primary care's last (mf…).
    const seededA = await seedNudgeMeetings(store, { party: 'socialtjanst', count: PER_PARTY, playground: a, idPrefix: '0' });
    const seededB = await seedNudgeMeetings(store, {
      party: 'primarvard',
      count: PER_PARTY,
      playground: b,
      serviceUrl: `http://127.0.0.1:${relay.port}/_connector`,
      idPrefix: 'f',
      firstCaseNumber: 101,
    });
    const { at, nudgeDate } = nudgeDay();
    expect(await store.reminders.due(nudgeDate)).toHaveLength(2 * PER_PARTY);
    const isB = new Set(seededB.map((s) => s.meetingId));

    // Primary care's Teams hangs; the pass delivers social services' 30, gives up on primary care's
    // first at the connector's timeout (released with a backoff) and is killed while it hangs on the second.
    relay.hang();
    const first = startTick(at, storage, { CONNECTOR_TIMEOUT_SECONDS: '3' });
    cleanups.push(async () => first.process.kill('SIGKILL'));
    let exitedEarly: unknown;
    void first.done.then((r) => (exitedEarly = r));
    await expect
      .poll(
        async () => {
          if (exitedEarly) throw new Error(`the first pass ended before it was killed: ${JSON.stringify(exitedEarly)}`);
          const due = await store.reminders.due(nudgeDate);
          const sent = (await store.audit.listMonth(nudgeDate.slice(0, 7))).filter((e) => e.action === 'reminderSent').length;
          const left = due.filter((r) => !isB.has(r.value.meetingId)).length;
          const claimedB = due.filter((r) => isB.has(r.value.meetingId) && r.value.claimedUntil).length;
          const failedB = due.filter((r) => isB.has(r.value.meetingId) && r.value.lastError).length;
          return { sent, left, failedB, claimedB };
        },
        { timeout: 60_000, interval: 100 },
      )
      .toEqual({ sent: PER_PARTY, left: 0, failedB: 1, claimedB: 1 });
    expect(a.frames.filter(isReminder)).toHaveLength(PER_PARTY);
    first.process.kill('SIGKILL');
    expect((await first.done).code).toBe('SIGKILL');

    // What the dead pass left: primary care's first reminder to retry after 60 s, its second claimed
    // (a lease of 120 s that nobody will release), the other 28 untouched.
    const leftover = await store.reminders.due(nudgeDate);
    expect(leftover).toHaveLength(PER_PARTY);
    expect(leftover.every((r) => isB.has(r.value.meetingId))).toBe(true);
    const [failed] = leftover.filter((r) => r.value.lastError);
    // Retry and lease count from the pass's instant plus the time it had run (here the ~3 s of the timed-out send).
    const within = (iso: string | undefined, from: number) => Date.parse(iso ?? '') >= at.getTime() + from && Date.parse(iso ?? '') <= at.getTime() + from + 60_000;
    expect(failed.value).toMatchObject({ attempts: 1, lastError: 'timeout' });
    expect(within(failed.value.notBefore, 60_000)).toBe(true);
    expect(failed.value.claimedUntil).toBeUndefined();
    const [claimed] = leftover.filter((r) => r.value.claimedUntil);
    expect(claimed.value).toMatchObject({ attempts: 1 });
    expect(within(claimed.value.claimedUntil, 120_000)).toBe(true);
    expect(leftover.filter((r) => r.value.attempts === 0)).toHaveLength(PER_PARTY - 2);

    // Primary care is back; a pass after the lease (and any backoff) delivers the rest, and only the rest.
    await relay.open();
    const second = await startTick(new Date(at.getTime() + RERUN_AFTER_MS), storage).done;
    expect(second.code, second.stderr).toBe(0);
    expect(second.result).toMatchObject({ posted: PER_PARTY, delivered: PER_PARTY, dropped: 0, retrying: 0 });

    await expect.poll(() => b.frames.filter(isReminder).length, { timeout: 10_000 }).toBe(PER_PARTY);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const [pg, seeded] of [
      [a, seededA],
      [b, seededB],
    ] as const) {
      const threads = pg.frames.filter(isReminder).map((f) => f.actionConversationId);
      expect(threads).toHaveLength(PER_PARTY);
      expect([...threads].sort()).toEqual(seeded.map((s) => s.threadId).sort());
    }
    expect(await store.reminders.due(nudgeDate)).toHaveLength(0);
    const sent = (await store.audit.listMonth(nudgeDate.slice(0, 7))).filter((e) => e.action === 'reminderSent');
    expect(sent).toHaveLength(2 * PER_PARTY);
    expect(new Set(sent.map((e) => e.key)).size).toBe(2 * PER_PARTY);
  }, 180_000);
});
