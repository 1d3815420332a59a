import { TeamsInfo, type TurnContext } from 'botbuilder';
import { ClaimsIdentity } from 'botframework-connector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdapter, type NorrbusAdapter } from '../../src/bot/adapter';
import type { AdaptiveCardJson } from '../../src/cards/render';
import { parseConfig } from '../../src/config/config';
import type { StoredConversationReference } from '../../src/store/conversationReference';
import { Connector, sendFailureOf, type SendFailure } from '../../src/teams/connector';
import { TIMEOUT_POLICY_NAME } from '../../src/teams/connectorPipeline';
import { Pacer } from '../../src/teams/pacing';
import { startFaultConnector, unreachableServiceUrl, type FaultConnector } from '../support/faultConnector';

const TIMEOUT_MS = 1_000;
/** What a call may take beyond the timeout (the event loop, botbuilder around the request). */
const SLACK_MS = 400;

const card: AdaptiveCardJson = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Påminnelse' }] };

function reference(serviceUrl: string, conversationId: string): StoredConversationReference {
  return { serviceUrl, channelId: 'msteams', conversation: { id: conversationId }, bot: { id: '28:norrbus', name: 'Norrbus' } };
}

/** What a call threw, how it was classified, and how long it took. */
async function outcome(connector: Connector, call: () => Promise<unknown>): Promise<{ error: unknown; failure: SendFailure | undefined; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, failure: error === undefined ? undefined : connector.failureOf(error), ms: performance.now() - started };
}

describe('the connector client: one request, a timeout, the outcome classified', () => {
  let teams: FaultConnector;
  let adapter: NorrbusAdapter;
  let connector: Connector;
  let turnErrors: unknown[];

  beforeAll(async () => {
    teams = await startFaultConnector();
    const config = parseConfig({ NORRBUS_ENV: 'test', ORGANISATION_DIRECTORY: 'env/organisations.local.json', CONNECTOR_TIMEOUT_SECONDS: String(TIMEOUT_MS / 1000) });
    adapter = createAdapter(config);
    // What teams-ai's app.error does; a failed send must reach the Connector's caller instead.
    adapter.onTurnError = async (_context, error) => void turnErrors.push(error);
    // A pacer of its own per test file, unlimited: these calls test the HTTP side.
    connector = new Connector(adapter, '', config.serviceHosts, { pacer: Pacer.unlimited() });
  });
  afterAll(async () => {
    await teams.close();
  });
  beforeEach(() => {
    turnErrors = [];
  });

  it('hands out connector clients without retry or redirect policies, the timeout first', async () => {
    const factory = (adapter as unknown as { botFrameworkAuthentication: { createConnectorFactory(c: ClaimsIdentity): { create(url: string): Promise<unknown> } } })
      .botFrameworkAuthentication.createConnectorFactory(new ClaimsIdentity([], true));
    const client = (await factory.create(teams.serviceUrl)) as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } };
    const names = client.client.pipeline.getOrderedPolicies().map((p) => p.name);
    expect(names[0]).toBe(TIMEOUT_POLICY_NAME);
    expect(names.filter((n) => /retry|redirect/i.test(n))).toEqual([]);
    expect(names).toContain('ServiceClientContext_Credentials_SignRequest');
  });

  it('holds the adapter’s own calls (replies, roster lookups) to one request and the timeout too', async () => {
    const conversation = '19:raw@thread.tacv2;messageid=1';
    const call = async (logic: (context: TurnContext) => Promise<unknown>) => {
      let thrown: unknown;
      const started = performance.now();
      await adapter.continueConversationAsync('', reference(teams.serviceUrl, conversation) as never, async (context) => {
        await logic(context).catch((e: unknown) => (thrown = e));
      });
      return { thrown, ms: performance.now() - started };
    };
    teams.setMode(conversation, { status: 429, retryAfter: 30 });
    const throttled = await call((context) => context.sendActivity('Hej'));
    expect((throttled.thrown as { statusCode?: number }).statusCode).toBe(429);
    expect(throttled.ms).toBeLessThan(500);
    teams.setMode(conversation, { status: 503, retryAfter: 10 });
    const unavailable = await call((context) => TeamsInfo.getMember(context, '29:someone'));
    expect((unavailable.thrown as { statusCode?: number }).statusCode).toBe(503);
    expect(teams.count(conversation)).toBe(2);
    teams.setMode(conversation, 'hang');
    const hung = await call((context) => TeamsInfo.getMember(context, '29:someone'));
    expect(sendFailureOf(hung.thrown)).toEqual({ kind: 'retry', reason: 'timeout' });
    expect(hung.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(teams.count(conversation)).toBe(3);
  });

  it('delivers: a new thread, a card, an update, a text', async () => {
    const started = await connector.startThread({ serviceUrl: teams.serviceUrl, tenantId: 't1', channelId: '19:ok@thread.tacv2' }, card);
    expect(started.threadId).toBe(`19:ok@thread.tacv2;messageid=${started.activityId}`);
    const thread = reference(teams.serviceUrl, started.threadId);
    const id = await connector.sendCard(thread, card);
    await connector.updateCard(thread, id, card);
    await connector.sendText(thread, 'Hej');
    const here = teams.deliveries.filter((d) => d.conversationId === started.threadId);
    // botbuilder posts proactive messages as replies to the continuation activity's id.
    expect(here.map((d) => d.route)).toEqual([
      'POST /v3/conversations',
      'POST /v3/conversations/:id/activities/:activityId',
      'PUT /v3/conversations/:id/activities/:activityId',
      'POST /v3/conversations/:id/activities/:activityId',
    ]);
    expect(here[1].activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(here[3].activity.text).toBe('Hej');
    expect(turnErrors).toEqual([]);
  });

  it('gives up on a Teams that never answers after the timeout, one request, a retry', async () => {
    teams.setMode('19:hang@thread.tacv2', 'hang');
    for (const call of [
      () => connector.sendCard(reference(teams.serviceUrl, '19:hang@thread.tacv2;messageid=1'), card),
      () => connector.updateCard(reference(teams.serviceUrl, '19:hang@thread.tacv2;messageid=1'), '1', card),
      () => connector.startThread({ serviceUrl: teams.serviceUrl, tenantId: 't1', channelId: '19:hang@thread.tacv2' }, card),
    ]) {
      const before = teams.count();
      const { failure, ms } = await outcome(connector, call);
      expect(failure).toEqual({ kind: 'retry', reason: 'timeout' });
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(teams.count() - before).toBe(1);
    }
    expect(turnErrors).toEqual([]);
  });

  it.each([
    [429, 30, 30_000],
    [503, 10, 10_000],
    [412, undefined, undefined],
    [500, undefined, undefined],
    [502, undefined, undefined],
    [504, 2, 2_000],
  ])('answers %i (Retry-After %s) at once after one request: retry in %s ms', async (status, retryAfter, retryAfterMs) => {
    const conversation = `19:s${status}@thread.tacv2;messageid=1`;
    teams.setMode(conversation, { status, retryAfter });
    const { error, failure, ms } = await outcome(connector, () => connector.sendCard(reference(teams.serviceUrl, conversation), card));
    expect(failure).toEqual(retryAfterMs === undefined ? { kind: 'retry', reason: `http ${status}` } : { kind: 'retry', reason: `http ${status}`, retryAfterMs });
    expect((error as { statusCode?: number }).statusCode).toBe(status);
    expect(connector.failureOf(error).kind).toBe('retry');
    expect(teams.count(conversation)).toBe(1);
    expect(ms).toBeLessThan(500);
    expect(turnErrors).toEqual([]);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const conversation = '19:date@thread.tacv2;messageid=1';
    teams.setMode(conversation, { status: 429, retryAfter: new Date(Date.now() + 20_000).toUTCString() });
    const { failure } = await outcome(connector, () => connector.sendText(reference(teams.serviceUrl, conversation), 'Hej'));
    expect(failure?.kind).toBe('retry');
    const wait = (failure as { retryAfterMs?: number }).retryAfterMs!;
    // HTTP dates have whole seconds.
    expect(wait).toBeGreaterThan(18_000);
    expect(wait).toBeLessThanOrEqual(20_000);
  });

  it('retries a connection Teams drops, after one request', async () => {
    const conversation = '19:reset@thread.tacv2;messageid=1';
    teams.setMode(conversation, 'reset');
    const { failure, ms } = await outcome(connector, () => connector.sendCard(reference(teams.serviceUrl, conversation), card));
    expect(failure).toEqual({ kind: 'retry', reason: 'reset' });
    expect(teams.count(conversation)).toBe(1);
    expect(ms).toBeLessThan(500);
  });

  it('retries a Teams it cannot reach, at once', async () => {
    const nowhere = await unreachableServiceUrl();
    for (const call of [
      () => connector.sendCard(reference(nowhere, '19:x@thread.tacv2;messageid=1'), card),
      () => connector.startThread({ serviceUrl: nowhere, tenantId: 't1', channelId: '19:x@thread.tacv2' }, card),
    ]) {
      const { failure, ms } = await outcome(connector, call);
      expect(failure).toEqual({ kind: 'retry', reason: 'network' });
      expect(ms).toBeLessThan(500);
    }
    expect(turnErrors).toEqual([]);
  });

  it.each([
    [403, 'the bot was removed from the team'],
    [404, 'the conversation is gone'],
    [400, 'Teams refuses the request as it is'],
  ])('gives up on %i (%s)', async (status) => {
    const channel = `19:g${status}@thread.tacv2`;
    teams.setMode(channel, { status });
    for (const call of [
      () => connector.sendCard(reference(teams.serviceUrl, `${channel};messageid=1`), card),
      () => connector.updateCard(reference(teams.serviceUrl, `${channel};messageid=1`), '1', card),
      () => connector.startThread({ serviceUrl: teams.serviceUrl, tenantId: 't1', channelId: channel }, card),
    ]) {
      const { error, failure } = await outcome(connector, call);
      expect(failure).toEqual({ kind: 'gone', reason: `http ${status}` });
      expect(connector.failureOf(error).kind).toBe('gone');
    }
    expect(teams.count(channel) + teams.count(`${channel};messageid=1`)).toBe(3);
    expect(turnErrors).toEqual([]);
  });

  it('tries a 401 again later (the bot’s own credentials, until an operator fixes them), once per call', async () => {
    const channel = '19:g401@thread.tacv2';
    teams.setMode(channel, { status: 401 });
    const { failure } = await outcome(connector, () => connector.sendCard(reference(teams.serviceUrl, `${channel};messageid=1`), card));
    expect(failure).toEqual({ kind: 'retry', reason: 'http 401' });
    expect(teams.count(`${channel};messageid=1`)).toBe(1);
  });

  it('gives up on a service URL outside the allow-list without a request', async () => {
    const before = teams.count();
    const { failure } = await outcome(connector, () => connector.sendCard(reference('https://attacker.example.com/_connector', '19:x@thread.tacv2'), card));
    expect(failure).toEqual({ kind: 'gone', reason: 'refused url' });
    expect(teams.count()).toBe(before);
  });

  it('fails a call whose pacing slot is too far away as a retry, without a request', async () => {
    let now = 0;
    const paced = new Connector(adapter, '', undefined, { pacer: new Pacer({ now: () => now, sleep: async (ms) => void (now += ms) }), maxPaceWaitMs: 5_000 });
    const conversation = '19:paced@thread.tacv2;messageid=1';
    // 60 within 30 s for one thread; the 61st would have to wait for the first to leave the window.
    for (let i = 0; i < 60; i++) await paced.sendText(reference(teams.serviceUrl, conversation), `${i}`);
    expect(now).toBeLessThan(30_000 - 5_000);
    const { failure } = await outcome(paced, () => paced.sendText(reference(teams.serviceUrl, conversation), 'one too many'));
    expect(failure?.kind).toBe('retry');
    expect(failure?.reason).toBe('paced');
    expect((failure as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(5_000);
    expect(teams.count(conversation)).toBe(60);
  });
});

describe('failureOf without a Teams', () => {
  it('classifies what botbuilder and Node throw', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    expect(sendFailureOf(coded('ECONNREFUSED'))).toEqual({ kind: 'retry', reason: 'network' });
    expect(sendFailureOf(coded('ENOTFOUND'))).toEqual({ kind: 'retry', reason: 'network' });
    expect(sendFailureOf(coded('ECONNRESET'))).toEqual({ kind: 'retry', reason: 'reset' });
    expect(sendFailureOf(coded('ETIMEDOUT'))).toEqual({ kind: 'retry', reason: 'timeout' });
    expect(sendFailureOf(Object.assign(new Error('x'), { name: 'AbortError' }))).toEqual({ kind: 'retry', reason: 'aborted' });
    expect(sendFailureOf(new TypeError('boom'))).toEqual({ kind: 'retry', reason: 'error' });
    expect(sendFailureOf('a string')).toEqual({ kind: 'retry', reason: 'error' });
    // Headers as a plain object too; a Retry-After that is neither seconds nor a date is ignored.
    expect(sendFailureOf({ statusCode: 429, response: { headers: { 'retry-after': '1.5' } } })).toEqual({ kind: 'retry', reason: 'http 429', retryAfterMs: 1_500 });
    expect(sendFailureOf({ statusCode: 429, response: { headers: { 'retry-after': 'soon' } } })).toEqual({ kind: 'retry', reason: 'http 429' });
    expect(sendFailureOf({ statusCode: 503, response: { headers: { 'retry-after-ms': '250' } } })).toEqual({ kind: 'retry', reason: 'http 503', retryAfterMs: 250 });
    // A date in the past: go now.
    expect(sendFailureOf({ statusCode: 429, response: { headers: { 'retry-after': 'Mon, 02 Mar 2026 07:00:00 GMT' } } }, Date.parse('2026-03-02T08:00:00Z'))).toEqual({
      kind: 'retry',
      reason: 'http 429',
      retryAfterMs: 0,
    });
  });
});
