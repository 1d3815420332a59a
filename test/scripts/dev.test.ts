import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild, waitUntilReady, type Child } from '../../scripts/lib/child';
import { freePort } from '../../scripts/lib/ports';
import { azuriteConnectionString, startAzuriteChild } from '../../scripts/lib/services';
import { projectRoot } from '../../src/projectRoot';
import { openStore } from '../../src/store/store';

const devScript = path.join(projectRoot(), 'dist', 'scripts', 'dev.js');

/** `npm start` as a newcomer runs it (after the build that `npm start` and `npm test` do first). */
describe('npm start supervisor', () => {
  const started: Child[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) await child.stop('SIGKILL');
  });

  async function ports() {
    return { BOT_PORT: String(await freePort()), PLAYGROUND_PORT: String(await freePort()), AZURITE_TABLE_PORT: String(await freePort()) };
  }

  function start(env: Record<string, string>): Child {
    if (!existsSync(devScript)) throw new Error(`${devScript} is missing: run "npm run build" first (npm test does)`);
    const child = spawnChild('npm start', process.execPath, [devScript], { env: { ...process.env, NORRBUS_ENV: 'local', LOG_LEVEL: 'warn', ...env } });
    started.push(child);
    return child;
  }

  it('starts Azurite, the bot and the Playground, and on Ctrl-C stops them with Azurite\'s data on disk', async () => {
    const env = { ...(await ports()), AZURITE_LOCATION: mkdtempSync(path.join(os.tmpdir(), 'norrbus-azurite-')) };
    const dev = start(env);
    await waitUntilReady(dev, async () => dev.tail().includes('Norrbus is running.'), 90_000);
    expect(dev.tail()).toContain(`Open http://localhost:${env.PLAYGROUND_PORT}`);

    expect(await (await fetch(`http://127.0.0.1:${env.BOT_PORT}/healthz`)).json()).toEqual({ status: 'ok', storage: 'ok' });
    expect(await (await fetch(`http://127.0.0.1:${env.PLAYGROUND_PORT}/_debug/ping`)).text()).toContain('pong');

    // Something stored just before Ctrl-C must survive it.
    const connectionString = azuriteConnectionString(Number(env.AZURITE_TABLE_PORT));
    const store = await openStore({ connectionString, tablePrefix: 'Norrbus' });
    await store.audit.append({ at: '2026-03-02T08:00:00.000Z', actor: 'test', action: 'beforeStop', entity: 'Test', key: 'k' });

    dev.process.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    for (const port of [env.BOT_PORT, env.PLAYGROUND_PORT, env.AZURITE_TABLE_PORT]) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }

    const azurite = await startAzuriteChild(Number(env.AZURITE_TABLE_PORT), env.AZURITE_LOCATION);
    started.push(azurite);
    const reopened = await openStore({ connectionString, tablePrefix: 'Norrbus' });
    expect((await reopened.audit.listMonth('2026-03')).map((e) => e.action)).toEqual(['beforeStop']);
  });

  it('names a port that is already taken, and exits instead of hanging', async () => {
    const env = await ports();
    const blocker = net.createServer().listen(Number(env.BOT_PORT), '127.0.0.1');
    try {
      const dev = start(env);
      expect(await dev.exited).toBe(1);
      expect(dev.tail()).toContain(`port ${env.BOT_PORT} (the bot) is already in use`);
    } finally {
      blocker.close();
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
