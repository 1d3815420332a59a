import { afterAll, describe, expect, it } from 'vitest';
import { startBotServer } from '../../src/bot/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/store';
import { sv } from '../../src/texts/sv';
import { startAzurite } from '../support/azurite';
import { startTestBot } from '../support/bot';
import { ORG, Playground } from '../support/playground';

describe('bot HTTP server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('answers /healthz with 200 while storage answers and 503 when it does not', async () => {
    const azurite = await startAzurite();
    const config = parseConfig({ NORRBUS_ENV: 'test', BOT_PORT: '0', STORAGE_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: 'silent' });
    const store = await openStore({ connectionString: azurite.connectionString, tablePrefix: 'Health' });
    const bot = await startBotServer({ config, store, log: createLogger('silent'), clock: () => new Date() });
    cleanups.push(() => bot.close());

    const healthy = await fetch(`${bot.url}/healthz`);
    expect([healthy.status, await healthy.json()]).toEqual([200, { status: 'ok', storage: 'ok' }]);
    await azurite.stop();
    const sick = await fetch(`${bot.url}/healthz`);
    expect([sick.status, await sick.json()]).toEqual([503, { status: 'error', storage: 'unreachable' }]);
  });

  it('refuses a malformed body on /api/messages and stays up', async () => {
    const bot = await startTestBot();
    cleanups.push(() => bot.close());
    const bad = await fetch(bot.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('tells an organisation outside the allowed tenants that it is not connected, and stores nothing', async () => {
    const bot = await startTestBot({ ALLOWED_TENANT_IDS: '0a0a0a0a-0000-4000-8000-000000000000' });
    const playground = await Playground.start(bot.endpoint);
    cleanups.push(() => bot.close(), () => playground.stop());

    await playground.say(ORG.personalChat, 'norrbus hjälp');
    expect((await playground.nextIn(ORG.personalChat, 'the refusal')).message?.text).toBe(sv.tenantNotAllowed);
    await playground.sendCustom(await playground.template(ORG.teamId, 'install'));
    await playground.say(ORG.personalChat, 'norrbus kanaler Luleå');
    await playground.nextIn(ORG.personalChat, 'the second refusal');
    expect(await bot.store.installations.find(ORG.tenantId, ORG.teamId)).toBeUndefined();
  });
});
