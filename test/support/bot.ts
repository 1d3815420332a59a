import { inject } from 'vitest';
import { startBotServer, type RunningBot } from '../../src/bot/server';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log';
import { openStore, type Store } from '../../src/store/store';
import { testTablePrefix } from './store';

export interface TestBot extends RunningBot {
  store: Store;
  endpoint: string;
  /** Where its tables are, for a `norrbus tick` process against the same storage. */
  storage: { connectionString: string; tablePrefix: string };
}

/** A clock that starts at `start` and runs at the real pace (leases and retries need time to pass). */
export function clockFrom(start: string): () => Date {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}

/** A clock that runs at the real pace from `start`, and can be sent to another instant (time travel). */
export function travellingClock(start: string): { clock: () => Date; travel: (to: string) => Date } {
  let offset = Date.parse(start) - Date.now();
  return {
    clock: () => new Date(Date.now() + offset),
    travel: (to: string) => {
      offset = Date.parse(to) - Date.now();
      return new Date(Date.parse(to));
    },
  };
}

/** The real bot over HTTP on a free port, with tables of its own in the shared test Azurite. */
export async function startTestBot(vars: Record<string, string> = {}, clock: () => Date = () => new Date()): Promise<TestBot> {
  const connectionString = inject('storageConnectionString');
  const config = parseConfig({
    NORRBUS_ENV: 'test',
    BOT_PORT: '0',
    STORAGE_CONNECTION_STRING: connectionString,
    STORAGE_TABLE_PREFIX: testTablePrefix(),
    LOG_LEVEL: 'warn',
    ORGANISATION_DIRECTORY: 'env/organisations.local.json',
    ...vars,
  });
  const store = await openStore({ connectionString, tablePrefix: config.storage.tablePrefix });
  const bot = await startBotServer({ config, store, log: createLogger(config.logLevel), clock });
  return { ...bot, store, endpoint: `${bot.url}/api/messages`, storage: { connectionString, tablePrefix: config.storage.tablePrefix } };
}

/** Posts an activity to the bot's endpoint as a channel would (no token: local mode); the status and the parsed body. */
export async function postActivity(endpoint: string, activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}
