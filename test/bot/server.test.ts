import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBotServer } from '../../src/bot/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/store';
import { sv } from '../../src/texts/sv';
import { startAzurite } from '../support/azurite';
import { startTestBot, type TestBot } from '../support/bot';
import { REGION_NORRBOTTEN_TENANT } from '../support/organisations';
import { testTablePrefix } from '../support/store';
import { ORG, Playground } from '../support/playground';
import { cardAction, installation, message } from './activities';
import { startFakeConnector, type FakeConnector } from './fakeConnector';
import { counts, dumpTables } from './tables';

const BAD_REQUEST = '{"error":"bad request"}';

function post(bot: TestBot, body: string | Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(bot.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const INTERNAL_ERROR = '{"error":"internal server error"}';

describe('bot HTTP server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('answers /healthz with 200 while storage answers and 503 when it does not', async () => {
    const azurite = await startAzurite();
    const config = parseConfig({ NORRBUS_ENV: 'test', BOT_PORT: '0', STORAGE_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: 'silent', ORGANISATION_DIRECTORY: 'env/organisations.local.json' });
    const store = await openStore({ connectionString: azurite.connectionString, tablePrefix: 'Health' });
    const bot = await startBotServer({ config, store, log: createLogger('silent'), clock: () => new Date() });
    cleanups.push(() => bot.close());

    const healthy = await fetch(`${bot.url}/healthz`);
    expect([healthy.status, await healthy.json()]).toEqual([200, { status: 'ok', storage: 'ok' }]);
    await azurite.stop();
    const sick = await fetch(`${bot.url}/healthz`);
    expect([sick.status, await sick.json()]).toEqual([503, { status: 'error', storage: 'unreachable' }]);
  });

  it('warns loudly at start when it runs without authentication', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = parseConfig({ NORRBUS_ENV: 'test', BOT_PORT: '0', LOG_LEVEL: 'warn', ORGANISATION_DIRECTORY: 'env/organisations.local.json', REMINDER_INTERVAL_SECONDS: '0' });
    const store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix: testTablePrefix() });
    const bot = await startBotServer({ config, store, log: pino({ level: 'warn' }, sink), clock: () => new Date() });
    cleanups.push(() => bot.close());
    const warning = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.includes('lokalt läge utan autentisering'));
    expect(warning?.level).toBe(40);
  });

  describe('in local mode, with a stand-in Teams service', () => {
    let bot: TestBot;
    let teams: FakeConnector;
    beforeAll(async () => {
      teams = await startFakeConnector();
      bot = await startTestBot({ LOG_LEVEL: 'error', REMINDER_INTERVAL_SECONDS: '0' });
      cleanups.push(() => bot.close(), () => teams.close());
    });

    const valid = () => message({ serviceUrl: teams.serviceUrl }, 'norrbus hjälp');
    const without = (key: string) => {
      const activity = valid();
      delete activity[key];
      return activity;
    };
    const malformed: [string, () => string | Record<string, unknown>][] = [
      ['a body that is not JSON', () => '{"type":'],
      ['an empty body', () => ''],
      ['a JSON array', () => '[{"type":"message"}]'],
      ['a JSON string', () => '"message"'],
      ['null', () => 'null'],
      ['no type', () => without('type')],
      ['an empty type', () => ({ ...valid(), type: '' })],
      ['a numeric type', () => ({ ...valid(), type: 7 })],
      ['no conversation', () => without('conversation')],
      ['a conversation without id', () => ({ ...valid(), conversation: { tenantId: ORG.tenantId } })],
      ['a numeric conversation id', () => ({ ...valid(), conversation: { id: 42 } })],
      ['a conversation id that is a path segment', () => ({ ...valid(), conversation: { id: '..' } })],
      ['a replyToId that is a path segment', () => ({ ...valid(), replyToId: '.' })],
      ['no from', () => without('from')],
      ['a from without id', () => ({ ...valid(), from: { name: 'Karin' } })],
      ['no recipient', () => without('recipient')],
      ['no serviceUrl', () => without('serviceUrl')],
      ['no channelId', () => without('channelId')],
      ['a numeric text', () => ({ ...valid(), text: 12 })],
      ['an object as text', () => ({ ...valid(), text: { toString: 'x' } })],
      ['a numeric id', () => ({ ...valid(), id: 5 })],
      ['a numeric replyToId', () => ({ ...valid(), replyToId: 5 })],
      ['a string as channelData', () => ({ ...valid(), channelData: 'team' })],
      ['a team of null in channelData', () => ({ ...valid(), channelData: { team: null } })],
      ['a numeric tenant id in channelData', () => ({ ...valid(), channelData: { tenant: { id: 1 } } })],
      ['a string as value', () => ({ ...valid(), value: 'x' })],
      ['an entity without type', () => ({ ...valid(), entities: [{ mentioned: { id: 'x' } }] })],
      ['a mention without mentioned', () => ({ ...valid(), entities: [{ type: 'mention', text: '<at>Norrbus</at>' }] })],
      ['a mention in a message without text', () => ({ ...without('text'), entities: [{ type: 'mention', mentioned: { id: ORG.botId }, text: '<at>Norrbus</at>' }] })],
      ['a timestamp that is no time', () => ({ ...valid(), timestamp: 'yesterday' })],
      ['membersAdded that is not a list', () => ({ ...valid(), type: 'conversationUpdate', membersAdded: { id: ORG.botId } })],
      ['a card action without action', () => ({ ...cardAction({ serviceUrl: teams.serviceUrl }, 'registerChannel', {}), value: { verb: 'registerChannel' } })],
      ['a card action whose data is a string', () => cardAction({ serviceUrl: teams.serviceUrl }, 'registerChannel', 'Luleå')],
      ['a card action without replyToId', () => ({ ...cardAction({ serviceUrl: teams.serviceUrl }, 'registerChannel', {}), replyToId: undefined })],
      ['a prototype key', () => JSON.stringify(valid()).replace(/^\{/, '{"__proto__":{"text":1},')],
      ['a serviceUrl elsewhere', () => ({ ...valid(), serviceUrl: 'https://smba.trafficmanager.net/emea/' })],
      ['a serviceUrl on another machine', () => ({ ...valid(), serviceUrl: 'http://10.0.0.5:56150/_connector' })],
      ['a serviceUrl that only looks local', () => ({ ...valid(), serviceUrl: 'http://127.0.0.1.evil.example.com/_connector' })],
      ['a serviceUrl with credentials', () => ({ ...valid(), serviceUrl: 'http://user:pw@127.0.0.1:9/_connector' })],
      ['a file serviceUrl', () => ({ ...valid(), serviceUrl: 'file:///etc/passwd' })],
      ['a serviceUrl that is no URL', () => ({ ...valid(), serviceUrl: 'localhost' })],
    ];

    it.each(malformed)('refuses %s with 400 and nothing more', async (_what, body) => {
      const before = { ...teams.calls };
      const response = await post(bot, body());
      const text = await response.text();
      expect([response.status, text]).toEqual([400, BAD_REQUEST]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(teams.calls).toEqual(before);
    });

    it('stored nothing for any refused activity, and stays up', async () => {
      const dump = await dumpTables(bot.storage);
      expect(Object.values(counts(dump)).every((n) => n === 0)).toBe(true);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    });

    it('refuses a forged installation whose serviceUrl is not local, and records the same one from loopback', async () => {
      const forged = installation({ serviceUrl: 'https://attacker.example.com/', teamId: ORG.teamId });
      expect((await post(bot, forged)).status).toBe(400);
      expect(await bot.store.installations.find(ORG.tenantId, ORG.teamId)).toBeUndefined();
      const real = installation({ serviceUrl: teams.serviceUrl, teamId: ORG.teamId });
      expect((await post(bot, real)).status).toBe(200);
      expect((await bot.store.installations.find(ORG.tenantId, ORG.teamId))?.value.status).toBe('installed');
    });

    it('answers a well-formed message through the Teams service it names', async () => {
      const replies = () => (teams.calls['POST /v3/conversations/:id/activities'] ?? 0) + (teams.calls['POST /v3/conversations/:id/activities/:id'] ?? 0);
      const before = replies();
      const response = await post(bot, valid());
      expect([response.status, await response.text()]).toEqual([200, '']);
      expect(replies()).toBe(before + 1);
    });

    it('answers a body over 1 MB with 413, whether declared or streamed', async () => {
      const big = JSON.stringify({ ...valid(), text: 'x'.repeat(1024 * 1024) });
      const declared = await post(bot, big);
      expect([declared.status, await declared.text()]).toEqual([413, '{"error":"payload too large"}']);
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const streamed = await fetch(bot.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      expect([streamed.status, await streamed.text()]).toEqual([413, '{"error":"payload too large"}']);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    });

    it('answers unknown routes and methods with the standard phrase only', async () => {
      const missing = await fetch(`${bot.url}/api/nothing`);
      expect([missing.status, await missing.text()]).toEqual([404, '{"error":"not found"}']);
      const wrongMethod = await fetch(bot.endpoint);
      expect([wrongMethod.status, await wrongMethod.text()]).toEqual([405, '{"error":"method not allowed"}']);
      const textAccept = await fetch(`${bot.url}/api/nothing`, { headers: { accept: 'text/plain' } });
      expect(await textAccept.text()).toBe('{"error":"not found"}');
    });

    it('answers an invoke it has no route for with 400', async () => {
      const unknownVerb = await post(bot, cardAction({ serviceUrl: teams.serviceUrl }, 'noSuchVerb', {}));
      expect([unknownVerb.status, await unknownVerb.text()]).toEqual([400, BAD_REQUEST]);
      const unknownInvoke = await post(bot, { ...valid(), type: 'invoke', name: 'task/fetch', value: {} });
      expect([unknownInvoke.status, await unknownInvoke.text()]).toEqual([400, BAD_REQUEST]);
    });

    it('answers a message turn that fails with a bare 500 and a card action with a Swedish message, never the error', async () => {
      // A Teams service that refuses every call: the reply fails, and so does the apology.
      const refusing = await startFakeConnector({ refuseAll: 403 });
      cleanups.push(() => refusing.close());
      const failedMessage = await post(bot, message({ serviceUrl: refusing.serviceUrl }, 'norrbus hjälp'));
      expect([failedMessage.status, await failedMessage.text()]).toEqual([500, INTERNAL_ERROR]);
      const failedCard = await post(bot, cardAction({ serviceUrl: refusing.serviceUrl, conversationId: ORG.general, conversationType: 'channel' }, 'cancelRegistration', {}));
      expect([failedCard.status, await failedCard.json()]).toEqual([200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: sv.somethingWentWrong }]);
      expect(refusing.calls).toMatchObject({ 'POST /v3/conversations/:id/activities/:id': 2, 'PUT /v3/conversations/:id/activities/:id': 1 });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    });
  });

  it('tells an organisation outside the directory that it is not connected, and stores nothing', async () => {
    // The directory names only Region Norrbotten: the school's Playground (Luleå kommun) is outside it.
    const directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'norrbus-directory-')), 'organisations.json');
    writeFileSync(directory, JSON.stringify({ organisations: [{ tenantId: REGION_NORRBOTTEN_TENANT, name: 'Region Norrbotten', kind: 'region' }] }));
    const bot = await startTestBot({ ORGANISATION_DIRECTORY: directory });
    const playground = await Playground.start(bot.endpoint);
    cleanups.push(() => bot.close(), () => playground.stop());

    await playground.say(ORG.personalChat, 'norrbus hjälp');
    const refusal = await playground.nextIn(ORG.personalChat, 'the refusal');
    // What the refusal says is app.ts's; here: a plain message, not the help card.
    expect(refusal.message?.text).toMatch(/\S/);
    expect(refusal.message?.attachments ?? []).toEqual([]);
    await playground.sendCustom(await playground.template(ORG.teamId, 'install'));
    await playground.say(ORG.personalChat, 'norrbus kanaler Luleå');
    await playground.nextIn(ORG.personalChat, 'the second refusal');
    expect(await bot.store.installations.find(ORG.tenantId, ORG.teamId)).toBeUndefined();
    const dump = await dumpTables(bot.storage);
    expect(Object.values(counts(dump)).every((n) => n === 0)).toBe(true);
  });
});
