import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Child } from '../../scripts/lib/child';
import { freePort } from '../../scripts/lib/ports';
import { azuriteConnectionString, startAzuriteChild } from '../../scripts/lib/services';
import { startBotServer } from '../../src/bot/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/store';
import type { TestBot } from './bot';
import { testTablePrefix } from './store';

/**
 * Azurite's table service as a child process on a port and folder of its own, which a test can stop
 * (SIGINT, so it flushes) and start again on the same port with the same data: storage going away
 * and coming back, as seen by a bot that keeps running.
 */
export class AzuriteChild {
  private child: Child | undefined;

  private constructor(
    readonly port: number,
    readonly location: string,
  ) {}

  static async start(): Promise<AzuriteChild> {
    const azurite = new AzuriteChild(await freePort(), mkdtempSync(path.join(os.tmpdir(), 'norrbus-azurite-')));
    await azurite.resume();
    return azurite;
  }

  get connectionString(): string {
    return azuriteConnectionString(this.port);
  }

  /** Stops it; its port then refuses connections. */
  async pause(): Promise<void> {
    await this.child?.stop('SIGINT');
    this.child = undefined;
  }

  /** Starts it (again) on the same port, over the same folder. */
  async resume(): Promise<void> {
    if (!this.child) this.child = await startAzuriteChild(this.port, this.location);
  }

  stop(): Promise<void> {
    return this.pause();
  }
}

/** The real bot over HTTP on a free port, like startTestBot, but over the storage account given. */
export async function startBotOn(connectionString: string, vars: Record<string, string> = {}, clock: () => Date = () => new Date()): Promise<TestBot> {
  const config = parseConfig({
    NORRBUS_ENV: 'test',
    BOT_PORT: '0',
    STORAGE_TABLE_PREFIX: testTablePrefix(),
    LOG_LEVEL: 'warn',
    ORGANISATION_DIRECTORY: 'env/organisations.local.json',
    ...vars,
    STORAGE_CONNECTION_STRING: connectionString,
  });
  const store = await openStore({ connectionString, tablePrefix: config.storage.tablePrefix });
  const bot = await startBotServer({ config, store, log: createLogger(config.logLevel), clock });
  return { ...bot, store, endpoint: `${bot.url}/api/messages`, storage: { connectionString, tablePrefix: config.storage.tablePrefix } };
}
