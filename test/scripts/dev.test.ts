import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawnChild, waitUntilReady, type Child } from '../../scripts/lib/child';
import { DEMO_BOT, DEMO_ORGANISATIONS, demoIntakeChannel, seedDemoDirectory } from '../../scripts/lib/demo';
import { freePort, isPortFree } from '../../scripts/lib/ports';
import { azuriteConnectionString } from '../../scripts/lib/services';
import { projectRoot } from '../../src/projectRoot';
import { openStore, type Store } from '../../src/store/store';
import { BOT_ID, ORG_KEYS, ORGS, type DemoPartyKey } from '../support/organisations';
import { cardTexts, type Frame } from '../support/playground';
import { openTestStore } from '../support/store';

const devScript = path.join(projectRoot(), 'dist', 'scripts', 'dev.js');

/** `npm start` as a newcomer runs it (after the build that `npm start` and `npm test` do first). */
describe('npm start supervisor', () => {
  const started: Child[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) await child.stop('SIGKILL');
  });

  /** Free ports; the Playgrounds need three in a row (PLAYGROUND_PORT, +1, +2). */
  async function ports() {
    let playground: number;
    do playground = await freePort();
    while (playground > 65533 || !(await isPortFree(playground)) || !(await isPortFree(playground + 1)) || !(await isPortFree(playground + 2)));
    return { BOT_PORT: String(await freePort()), PLAYGROUND_PORT: String(playground), AZURITE_TABLE_PORT: String(await freePort()) };
  }

  const playgroundPort = (env: { PLAYGROUND_PORT: string }, party: DemoPartyKey) => Number(env.PLAYGROUND_PORT) + ORG_KEYS.indexOf(party);

  function start(env: Record<string, string>): Child {
    if (!existsSync(devScript)) throw new Error(`${devScript} is missing: run "npm run build" first (npm test does)`);
    const child = spawnChild('npm start', process.execPath, [devScript], { env: { ...process.env, NORRBUS_ENV: 'local', LOG_LEVEL: 'warn', ...env } });
    started.push(child);
    return child;
  }

  /** The seeding's audit entries, in the months the test ran in. */
  async function seedAudit(store: Store, months: Set<string>) {
    const entries = (await Promise.all([...months].map((m) => store.audit.listMonth(m)))).flat();
    return entries.filter((e) => e.action === 'seedDemoIntakeChannel');
  }

  /** Posts "@Norrbus <text>" in a channel of one Playground and returns the bot's answer there. */
  async function askInChannel(port: number, party: DemoPartyKey, text: string): Promise<Frame> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
    try {
      await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
      const channel = ORGS[party].intakeChannel;
      const answer = new Promise<Frame>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer from the bot in ${channel}`)), 10_000);
        socket.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as Frame;
          if (frame.action === 'createMessage' && frame.actionConversationId.startsWith(`${channel};`)) {
            clearTimeout(timer);
            resolve(frame);
          }
        });
      });
      const response = await fetch(`http://127.0.0.1:${port}/_conversation/v1/conversations/${encodeURIComponent(channel)}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          from: { id: ORGS[party].currentUser.id },
          text: `<at>Norrbus</at> ${text}`,
          textFormat: 'plain',
          mentions: [{ mentioned: { id: BOT_ID }, text: '<at>Norrbus</at>' }],
        }),
      });
      expect(response.status).toBe(200);
      return await answer;
    } finally {
      socket.close();
    }
  }

  it('lists the demo organisations as the Playground configs name them', () => {
    expect(DEMO_BOT.id).toBe(BOT_ID);
    for (const party of ORG_KEYS) {
      const org = ORGS[party];
      expect(DEMO_ORGANISATIONS[party]).toMatchObject({
        party,
        configPath: org.configPath,
        tenantId: org.tenantId,
        teamId: org.teamId,
        teamName: org.teamName,
        channelId: org.intakeChannel,
        channelName: org.intakeChannelName,
        currentUser: { id: org.currentUser.id, name: org.currentUser.name },
      });
    }
    // The school and social services share Luleå kommun's tenant; the health centre is Region Norrbotten's.
    expect(ORGS.socialtjanst.tenantId).toBe(ORGS.skola.tenantId);
    expect(ORGS.primarvard.tenantId).not.toBe(ORGS.skola.tenantId);
    const ids = ORG_KEYS.flatMap((p) => [ORGS[p].personalChat, ORGS[p].groupChat, ORGS[p].teamId, ORGS[p].intakeChannel, ORGS[p].currentUser.id]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('seeds the directory idempotently: creates, leaves alone, replaces what points elsewhere', async () => {
    const store = await openTestStore();
    const urls = { skola: 'http://localhost:56150/_connector', socialtjanst: 'http://localhost:56151/_connector', primarvard: 'http://localhost:56152/_connector' };
    const first = new Date('2026-03-02T07:00:00.000Z');
    expect((await seedDemoDirectory(store, urls, first)).map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
    expect(await store.intakeChannels.listMunicipality('Luleå')).toEqual(ORG_KEYS.map((p) => demoIntakeChannel(p, urls[p], first)));

    expect((await seedDemoDirectory(store, urls, new Date('2026-03-03T07:00:00.000Z'))).map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect((await store.intakeChannels.get('Luleå', 'skola'))!.value.registeredAt).toBe(first.toISOString());

    // Someone registered the school's General channel instead; the Playground of social services moved port.
    await store.intakeChannels.mutate('Luleå', 'skola', (c) => c && { ...c, channelId: ORGS.skola.general, conversationReference: { ...c.conversationReference, conversation: { id: ORGS.skola.general } } });
    const moved = { ...urls, socialtjanst: 'http://localhost:57151/_connector' };
    const later = new Date('2026-03-04T07:00:00.000Z');
    expect(await seedDemoDirectory(store, moved, later)).toEqual([
      { party: 'skola', outcome: 'replaced', replacedChannelId: ORGS.skola.general },
      { party: 'socialtjanst', outcome: 'replaced', replacedChannelId: ORGS.socialtjanst.intakeChannel },
      { party: 'primarvard', outcome: 'unchanged' },
    ]);
    expect((await store.intakeChannels.get('Luleå', 'skola'))!.value).toEqual(demoIntakeChannel('skola', urls.skola, later));
    expect((await store.intakeChannels.get('Luleå', 'socialtjanst'))!.value.conversationReference.serviceUrl).toBe(moved.socialtjanst);

    const audit = await store.audit.listMonth('2026-03');
    // One entry per change (the order within one second is the random part of the row key).
    expect(audit.map((e) => `${e.at} ${e.actor} ${e.action} ${e.key}`).sort()).toEqual(
      [
        ...['skola', 'socialtjanst', 'primarvard'].map((p) => `${first.toISOString()} demo seedDemoIntakeChannel Luleå/${p}`),
        ...['skola', 'socialtjanst'].map((p) => `${later.toISOString()} demo seedDemoIntakeChannel Luleå/${p}`),
      ].sort(),
    );
    expect(audit.find((e) => e.key === 'Luleå/skola' && e.at === later.toISOString())?.details).toEqual({
      channelId: ORGS.skola.intakeChannel,
      serviceUrl: urls.skola,
      replacedChannelId: ORGS.skola.general,
    });
  });

  it('starts Azurite, the bot and three Playgrounds with Luleå\'s directory seeded once, and on Ctrl-C stops them with the data on disk', async () => {
    const env = { ...(await ports()), AZURITE_LOCATION: mkdtempSync(path.join(os.tmpdir(), 'norrbus-azurite-')) };
    const months = new Set([new Date().toISOString().slice(0, 7)]);
    const dev = start(env);
    await waitUntilReady(dev, async () => dev.tail().includes('Norrbus is running.'), 60_000);
    expect(dev.tail()).toContain(`Skola (Karin Lindström, Sunderby skola): http://localhost:${playgroundPort(env, 'skola')}`);
    expect(dev.tail()).toContain(`Socialtjänst (Jonas Nilsson, Luleå kommun, IFO barn och unga): http://localhost:${playgroundPort(env, 'socialtjanst')}`);
    expect(dev.tail()).toContain(`Primärvård (Leila Karimi, Hälsocentralen Hertsön, Region Norrbotten): http://localhost:${playgroundPort(env, 'primarvard')}`);

    expect(await (await fetch(`http://127.0.0.1:${env.BOT_PORT}/healthz`)).json()).toEqual({ status: 'ok', storage: 'ok' });
    for (const party of ORG_KEYS) {
      const base = `http://127.0.0.1:${playgroundPort(env, party)}`;
      expect(await (await fetch(`${base}/_debug/ping`)).text()).toContain('pong');
      // Each Playground simulates its own organisation, as ORGS describes it.
      const { config } = (await (await fetch(`${base}/_internal/v1/testConfig`)).json()) as {
        config: { tenantId: string; bot: { id: string }; currentUser: Record<string, string>; personalChat: { id: string }; teams: { id: string; name: string; channels: { id: string; name: string }[] }[] };
      };
      const org = ORGS[party];
      expect(config.tenantId).toBe(org.tenantId);
      expect(config.bot.id).toBe(BOT_ID);
      expect(config.currentUser).toMatchObject(org.currentUser);
      expect(config.personalChat.id).toBe(org.personalChat);
      expect(config.teams[0]).toMatchObject({ id: org.teamId, name: org.teamName });
      expect(config.teams[0].channels.map((c) => [c.id, c.name])).toEqual([
        [org.general, 'General'],
        [org.intakeChannel, org.intakeChannelName],
      ]);
    }

    // The directory holds the three intake channels, each reachable through its own Playground.
    const connectionString = azuriteConnectionString(Number(env.AZURITE_TABLE_PORT));
    const store = await openStore({ connectionString, tablePrefix: 'Norrbus' });
    const directory = await store.intakeChannels.listMunicipality('Luleå');
    expect(directory.map((c) => c.party)).toEqual(ORG_KEYS);
    for (const channel of directory) {
      const org = ORGS[channel.party as DemoPartyKey];
      const serviceUrl = `http://localhost:${playgroundPort(env, channel.party as DemoPartyKey)}/_connector`;
      expect(channel).toMatchObject({
        tenantId: org.tenantId,
        teamId: org.teamId,
        channelId: org.intakeChannel,
        teamName: org.teamName,
        channelName: org.intakeChannelName,
        serviceUrl,
        registeredBy: 'demo',
      });
      expect(channel.conversationReference).toMatchObject({
        serviceUrl,
        channelId: 'msteams',
        bot: { id: BOT_ID, name: 'Norrbus' },
        conversation: { id: org.intakeChannel, isGroup: true, conversationType: 'channel', tenantId: org.tenantId },
      });
    }
    expect((await seedAudit(store, months)).map((e) => e.key).sort()).toEqual(['Luleå/primarvard', 'Luleå/skola', 'Luleå/socialtjanst']);

    // Jonas asks in his channel: the bot answers there, from the seeded directory.
    const listed = cardTexts((await askInChannel(playgroundPort(env, 'socialtjanst'), 'socialtjanst', 'kanaler')).message?.attachments?.[0]?.content);
    expect(listed[0]).toBe('Norrbus-kanaler i Luleå');
    for (const party of ORG_KEYS) expect(listed.some((t) => t.includes(ORGS[party].intakeChannelName))).toBe(true);

    // Something stored just before Ctrl-C must survive it.
    await store.audit.append({ at: '2026-03-02T08:00:00.000Z', actor: 'test', action: 'beforeStop', entity: 'Test', key: 'k' });

    dev.process.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    for (const port of [env.BOT_PORT, env.AZURITE_TABLE_PORT, ...ORG_KEYS.map((p) => playgroundPort(env, p))]) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }

    // Started again on the same data: what was stored is there, and the seeding changes nothing.
    const again = start(env);
    await waitUntilReady(again, async () => again.tail().includes('Norrbus is running.'), 60_000);
    expect(again.tail()).toContain('the three intake channels are registered (already there)');
    months.add(new Date().toISOString().slice(0, 7));
    const reopened = await openStore({ connectionString, tablePrefix: 'Norrbus' });
    expect((await reopened.audit.listMonth('2026-03')).map((e) => e.action)).toEqual(['beforeStop']);
    expect(await seedAudit(reopened, months)).toHaveLength(3);
    expect(await reopened.intakeChannels.listMunicipality('Luleå')).toEqual(directory);
    again.process.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 120_000);

  it('names a port that is already taken, and exits instead of hanging', async () => {
    const env = await ports();
    const blocker = net.createServer().listen(Number(env.BOT_PORT), '127.0.0.1');
    const playgroundBlocker = net.createServer().listen(Number(env.PLAYGROUND_PORT) + 2, '0.0.0.0');
    try {
      const dev = start(env);
      expect(await dev.exited).toBe(1);
      expect(dev.tail()).toContain(`port ${env.BOT_PORT} (the bot) is already in use`);
      expect(dev.tail()).toContain(`port ${Number(env.PLAYGROUND_PORT) + 2} (the Agents Playground of Primärvård, PLAYGROUND_PORT+2) is already in use`);
    } finally {
      blocker.close();
      playgroundBlocker.close();
    }
  });

  it('names a bad configuration value and exits', async () => {
    const dev = start({ ...(await ports()), BOT_PORT: 'abc' });
    expect(await dev.exited).toBe(1);
    expect(dev.tail()).toContain('BOT_PORT måste vara ett portnummer');
  });

  it('stops everything when a part dies, saying which', async () => {
    // A storage account that does not answer: the bot cannot open its tables and exits.
    const env = { ...(await ports()), STORAGE_CONNECTION_STRING: azuriteConnectionString(await freePort()) };
    const dev = start(env);
    expect(await dev.exited).toBe(1);
    expect(dev.tail()).toMatch(/bot stopped unexpectedly \(exit 1\)/);
    expect(dev.tail()).toContain("kunde inte nå Azure Storage");
  });
});
