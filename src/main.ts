import { startBotServer } from './bot/server';
import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './log';
import { openStore } from './store/store';

/** Starts the bot with the configuration of NORRBUS_ENV; it needs a storage connection string. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const connectionString = config.storage.connectionString;
  if (!connectionString) {
    throw new ConfigError(['STORAGE_CONNECTION_STRING saknas: starta med "npm start" (som startar Azurite) eller sätt den i miljön']);
  }
  const store = await openStore({ connectionString, tablePrefix: config.storage.tablePrefix }).catch((error: Error) => {
    throw new Error(`Norrbus kunde inte nå Azure Storage (STORAGE_CONNECTION_STRING): ${error.message}`);
  });
  const bot = await startBotServer({ config, store, log, clock: () => new Date() });
  log.info({ url: `${bot.url}/api/messages` }, 'Norrbus bot listening');

  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    bot.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error('Porten för boten är redan upptagen (BOT_PORT). Stoppa det andra programmet eller välj en annan port.');
    process.exit(3);
  }
  console.error((error as Error).message);
  process.exit(1);
});
