import path from 'node:path';
import { inject } from 'vitest';
import { httpCheck, spawnChild, waitUntilReady, type Child } from '../../scripts/lib/child';
import { projectRoot } from '../../src/projectRoot';

/**
 * The built bot as its own process (`node dist/src/main.js`), so it can be killed the hard way,
 * against the shared test Azurite with tables of its own; ready once /healthz answers 200.
 */
export async function startBotProcess(port: number, tablePrefix: string, env: Record<string, string> = {}): Promise<Child> {
  const bot = spawnChild('bot', process.execPath, [path.join(projectRoot(), 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      NORRBUS_ENV: 'local',
      BOT_PORT: String(port),
      STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
      STORAGE_TABLE_PREFIX: tablePrefix,
      OUTBOX_INTERVAL_SECONDS: '0.5',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  await waitUntilReady(bot, httpCheck(`http://127.0.0.1:${port}/healthz`, (status) => status === 200));
  return bot;
}
