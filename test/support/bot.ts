import { inject } from 'vitest';
import { startBotServer, type RunningBot } from '../../src/bot/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log';
import { openStore, type Store } from '../../src/store/store';
import { testTablePrefix } from './store';

export interface TestBot extends RunningBot {
  store: Store;
  endpoint: string;
}

/** The real bot over HTTP on a free port, with tables of its own in the shared test Azurite. */
export async function startTestBot(vars: Record<string, string> = {}): Promise<TestBot> {
  const connectionString = inject('storageConnectionString');
  const config = parseConfig({
    NORRBUS_ENV: 'test',
    BOT_PORT: '0',
    STORAGE_CONNECTION_STRING: connectionString,
    STORAGE_TABLE_PREFIX: testTablePrefix(),
    LOG_LEVEL: 'warn',
    ...vars,
  });
  const store = await openStore({ connectionString, tablePrefix: config.storage.tablePrefix });
  const bot = await startBotServer({ config, store, log: createLogger(config.logLevel), clock: () => new Date() });
  return { ...bot, store, endpoint: `${bot.url}/api/messages` };
}
