import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/bot/adapter';
import type { AdaptiveCardJson } from '../../src/cards/render';
import { parseConfig } from '../../src/config/config';
import type { StoredConversationReference } from '../../src/store/conversationReference';
import { Connector, type SendFailure } from '../../src/teams/connector';
import { Pacer } from '../../src/teams/pacing';
import { startFaultConnector, type Delivery, type FaultConnector } from '../support/faultConnector';
import { VirtualClock } from '../support/virtualClock';

/**
 * Bursts through the real adapter into a Teams stand-in that throttles as Teams does (per thread
 * 7/1 s, 8/2 s, 60/30 s, 1,800/h; 50/s over all), both on one virtual clock: the pacer's sleeps
 * move it, so minutes of Teams time pass in the seconds the HTTP calls take.
 */

function card(marker: string): AdaptiveCardJson {
  return { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: marker }] };
}

function markerOf(delivery: Delivery): string | undefined {
  const content = delivery.activity.attachments?.[0]?.content as { body?: { text?: string }[] } | undefined;
  return content?.body?.[0]?.text;
}

describe('bursts stay within Teams’ limits', () => {
  let clock: VirtualClock;
  let teams: FaultConnector;
  let connector: Connector;
  const reference = (conversationId: string): StoredConversationReference => ({
    serviceUrl: teams.serviceUrl,
    channelId: 'msteams',
    conversation: { id: conversationId },
    bot: { id: '28:norrbus', name: 'Norrbus' },
  });

  beforeAll(async () => {
    clock = new VirtualClock();
    teams = await startFaultConnector({ enforceTeamsLimits: true, now: clock.now });
    const config = parseConfig({ NORRBUS_ENV: 'test', ORGANISATION_DIRECTORY: 'env/organisations.local.json', CONNECTOR_TIMEOUT_SECONDS: '5' });
    // The Connector's defaults (Teams' limits, the 30 s cap on a wait), on virtual time.
    connector = new Connector(createAdapter(config), '', config.serviceHosts, { pacer: new Pacer({ now: clock.now, sleep: clock.sleep }) });
  });
  afterAll(async () => {
    await teams.close();
  });

  /** Runs the senders at once on the virtual clock; virtual and real milliseconds taken. */
  async function burst(senders: (() => Promise<void>)[]): Promise<{ virtualMs: number; realMs: number }> {
    const virtualStart = clock.now();
    const realStart = performance.now();
    await Promise.all(senders.map((send) => clock.run(send)));
    return { virtualMs: clock.now() - virtualStart, realMs: performance.now() - realStart };
  }

  function deliveredOnce(prefix: string, expected: number): void {
    const markers = teams.deliveries.map(markerOf).filter((m): m is string => m?.startsWith(prefix) ?? false);
    expect(markers.length).toBe(expected);
    expect(new Set(markers).size).toBe(expected);
  }

  it('200 cards into one thread, one after another (a reminder pass, the outbox): no 429, each delivered once', async () => {
    const thread = '19:one@thread.tacv2;messageid=1';
    const took = await burst([
      async () => {
        for (let i = 0; i < 200; i++) await connector.sendCard(reference(thread), card(`one ${i}`));
      },
    ]);
    expect(teams.throttled).toBe(0);
    expect(teams.count(thread)).toBe(200);
    deliveredOnce('one ', 200);
    // 60 per 30 s is the bound that counts: 200 take a bit over 3 × 30 s of Teams time.
    expect(took.virtualMs).toBeGreaterThan(90_000);
    expect(took.virtualMs).toBeLessThan(120_000);
    console.log(`200 into one thread: ${(took.virtualMs / 1000).toFixed(1)} s of Teams time in ${(took.realMs / 1000).toFixed(2)} s`);
  });

  it('2,000 cards across 100 threads, every thread at once: no 429, each delivered once', async () => {
    const threads = Array.from({ length: 100 }, (_, t) => `19:many${t}@thread.tacv2;messageid=${t}`);
    const before = teams.count();
    const took = await burst(
      threads.map((thread, t) => async () => {
        for (let i = 0; i < 20; i++) await connector.sendCard(reference(thread), card(`many ${t}/${i}`));
      }),
    );
    expect(teams.throttled).toBe(0);
    expect(teams.count() - before).toBe(2_000);
    deliveredOnce('many ', 2_000);
    // The bound over all threads (40/s of Teams' 50) is what counts here.
    expect(took.virtualMs).toBeGreaterThan(45_000);
    expect(took.virtualMs).toBeLessThan(70_000);
    console.log(`2,000 across 100 threads: ${(took.virtualMs / 1000).toFixed(1)} s of Teams time in ${(took.realMs / 1000).toFixed(2)} s`);
  });

  it('a meeting with four parties and the monthly digest to fourteen forums, at once: no 429', async () => {
    const statusThread = '19:convener@thread.tacv2;messageid=77';
    const parties = ['skola', 'socialtjanst', 'halsocentral', 'bup'];
    const forums = Array.from({ length: 14 }, (_, i) => `19:forum${i}@thread.tacv2`);
    const before = teams.deliveries.length;
    const took = await burst([
      // Summonses into four channels, each party's answer refreshing the convener's status card.
      ...parties.map((party) => async () => {
        const { threadId, activityId } = await connector.startThread({ serviceUrl: teams.serviceUrl, tenantId: 't1', channelId: `19:${party}@thread.tacv2` }, card(`summons ${party}`));
        for (let i = 0; i < 3; i++) await connector.updateCard(reference(threadId), activityId, card(`summons ${party} ${i}`));
        for (let i = 0; i < 5; i++) await connector.updateCard(reference(statusThread), '77', card(`status ${party} ${i}`));
      }),
      ...forums.map((channelId, i) => async () => {
        await connector.startThread({ serviceUrl: teams.serviceUrl, tenantId: 't1', channelId }, card(`digest ${i}`));
      }),
    ]);
    expect(teams.throttled).toBe(0);
    expect(teams.deliveries.length - before).toBe(4 + 12 + 20 + 14);
    deliveredOnce('digest ', 14);
    // 20 updates of one card: about 5 s of Teams time.
    expect(took.virtualMs).toBeLessThan(10_000);
  });

  it('(the control) without pacing, the same Teams answers 429 to a burst into one thread', async () => {
    const config = parseConfig({ NORRBUS_ENV: 'test', ORGANISATION_DIRECTORY: 'env/organisations.local.json' });
    const unpaced = new Connector(createAdapter(config), '', config.serviceHosts, { pacer: Pacer.unlimited() });
    const thread = '19:unpaced@thread.tacv2;messageid=1';
    const failures: SendFailure[] = [];
    for (let i = 0; i < 20; i++) {
      await unpaced.sendCard(reference(thread), card(`unpaced ${i}`)).catch((error: unknown) => failures.push(unpaced.failureOf(error)));
    }
    // The clock stands still: 7 go through, the rest are throttled, each after one request.
    expect(failures).toHaveLength(13);
    expect(failures[0]).toEqual({ kind: 'retry', reason: 'http 429', retryAfterMs: 1_000 });
    expect(teams.count(thread)).toBe(20);
  });
});
