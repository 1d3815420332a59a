import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Child } from '../../scripts/lib/child';
import { seedDemoDirectory } from '../../scripts/lib/demo';
import { freePort } from '../../scripts/lib/ports';
import { METRICS } from '../../src/telemetry/metrics';
import { openStore, type Store } from '../../src/store/store';
import type { TestBot } from '../support/bot';
import { startBotProcess } from '../support/botProcess';
import { ORGS } from '../support/organisations';
import { Playground } from '../support/playground';
import { convene } from '../support/round';
import { SCENARIO_INTAKE } from '../support/scenario';
import { testTablePrefix } from '../support/store';
import { LOOPBACK_CERT, startIngestion, type Envelope, type Ingestion } from './ingestion';

const today = () => DateTime.now().setZone('Europe/Stockholm');
const CASE_REFERENCE = 'NB-2026-0417';
const FREE_TEXT = 'Obekväm skolsituation efter flytten, oro för sömnen';

/**
 * The built bot (`node dist/src/main.js`) with APPLICATIONINSIGHTS_CONNECTION_STRING pointing at an
 * ingestion endpoint on loopback: the real Azure Monitor exporter sends what it would send to
 * Application Insights. A whole summons round runs through three organisations' Playgrounds (a
 * case reference, a purpose, a convener's name, table rows keyed by them), plus a chat message
 * with all three; the bot is stopped with SIGTERM, which flushes the last spans and metrics.
 */
describe('telemetry to Application Insights', () => {
  let ingestion: Ingestion;
  let store: Store;
  let bot: Child | undefined;
  let pg: { skola: Playground; socialtjanst: Playground; primarvard: Playground };
  let envelopes: Envelope[];
  let everything: string;

  beforeAll(async () => {
    ingestion = await startIngestion();
    const prefix = testTablePrefix();
    const port = await freePort();
    store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix: prefix });
    const endpoint = `http://127.0.0.1:${port}/api/messages`;
    const started = await Promise.all([Playground.start(endpoint, ORGS.skola), Playground.start(endpoint, ORGS.socialtjanst), Playground.start(endpoint, ORGS.primarvard)]);
    pg = { skola: started[0], socialtjanst: started[1], primarvard: started[2] };
    await seedDemoDirectory(store, { skola: pg.skola.serviceUrl, socialtjanst: pg.socialtjanst.serviceUrl, primarvard: pg.primarvard.serviceUrl }, new Date());
    bot = await startBotProcess(port, prefix, {
      APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      NODE_EXTRA_CA_CERTS: LOOPBACK_CERT,
      // A reminder pass every second, at any hour, so its metrics are recorded during the round.
      REMINDER_INTERVAL_SECONDS: '1',
      REMINDER_WINDOW: '0-24',
    });
    await convene({ bot: { store } as TestBot, pg, stop: async () => undefined }, {
      ...SCENARIO_INTAKE,
      caseReference: CASE_REFERENCE,
      purpose: FREE_TEXT,
      consentDate: today().toISODate()!,
      time1Date: today().plus({ days: 14 }).toISODate()!,
      time2Date: today().plus({ days: 15 }).toISODate()!,
    });
    // A personal message naming the case, the free text and a person: answered with the help card.
    await pg.skola.say(ORGS.skola.personalChat, `norrbus ${CASE_REFERENCE} ${FREE_TEXT} Karin Lindström`);
    await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.personalChat, 'the answer in the personal chat');
    // Two reminder passes have certainly run once two more seconds have passed on the bot's interval.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await bot.stop('SIGTERM', 15_000);
    bot = undefined;
    envelopes = ingestion.envelopes;
    everything = ingestion.raw.join('\n');
  }, 180_000);

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await Promise.all(Object.values(pg ?? {}).map((p) => p.stop()));
    await ingestion?.close();
  });

  const ofType = (baseType: string) => envelopes.filter((e) => e.data?.baseType === baseType).map((e) => e.data!.baseData!);

  it('reports the incoming activities as requests', () => {
    const requests = ofType('RequestData');
    // The intake command, the intake card's submit and the personal message at least.
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.every((r) => String(r.url).endsWith('/api/messages'))).toBe(true);
    expect(new Set(requests.map((r) => r.name))).toEqual(new Set(['POST /api/messages']));
    // The health check is not traced.
    expect(requests.some((r) => String(r.url).includes('healthz'))).toBe(false);
  });

  it('reports Table Storage and the Teams connector as dependencies', () => {
    const dependencies = ofType('RemoteDependencyData');
    const storageHost = new URL(inject('storageConnectionString').match(/TableEndpoint=([^;]+)/)![1]).host;
    // The Azure SDK's own spans (TableClient.getEntity …) and the HTTP calls under them.
    expect(dependencies.filter((d) => String(d.type).includes('Microsoft.Data.Tables')).map((d) => d.name)).toEqual(
      expect.arrayContaining(['TableClient.createEntity', 'TableClient.getEntity', 'TableClient.updateEntity']),
    );
    expect(dependencies.some((d) => d.type === 'Http' && String(d.data).startsWith(`http://${storageHost}/devstoreaccount1/`))).toBe(true);
    // The summons threads started and the cards posted and updated in the Playgrounds' connector API.
    const connector = dependencies.filter((d) => d.type === 'Http' && /\/v3\/conversations/.test(String(d.data))).map((d) => d.name);
    expect(connector).toEqual(expect.arrayContaining(['POST /:id/v3/conversations', 'POST /:id/v3/conversations/:id/activities/:id', 'PUT /:id/v3/conversations/:id/activities/:id']));
  });

  it('reports the outbox backlog, failed sends and the reminder pass as metrics', () => {
    const metrics = ofType('MetricData').flatMap((m) => (m.metrics as { name: string; value: number; count?: number }[]) ?? []);
    const names = new Set(metrics.map((m) => m.name));
    expect(names).toContain(METRICS.reminderPassDuration);
    expect(names).toContain(METRICS.reminderPassReminders);
    expect(names).toContain(METRICS.outboxBacklog);
    const passes = metrics.filter((m) => m.name === METRICS.reminderPassDuration);
    expect(passes.reduce((n, m) => n + (m.count ?? 1), 0)).toBeGreaterThanOrEqual(2);
  });

  it('sends no case reference, free text, name or URL query', () => {
    expect(envelopes.length).toBeGreaterThan(0);
    for (const secret of [CASE_REFERENCE, FREE_TEXT, 'Obekväm', 'Karin', 'Lindström', 'Sunderby skola, konferensrum 2', ORGS.skola.currentUser.id]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    // No table filters or entity keys; no query string at all in any URL.
    expect(everything).not.toMatch(/\$filter|PartitionKey|RowKey/);
    for (const e of envelopes) {
      const data = e.data?.baseData ?? {};
      for (const field of ['url', 'data', 'name']) if (typeof data[field] === 'string') expect(data[field]).not.toMatch(/[?#]/);
    }
  });
});
