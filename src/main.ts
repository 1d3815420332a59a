import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './log';
import { startTelemetry } from './telemetry';

/** Starts the bot with the configuration of NORRBUS_ENV; it needs storage (a connection string or an account). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // Before the modules that make HTTP and storage calls are loaded, so those calls are instrumented;
  // without APPLICATIONINSIGHTS_CONNECTION_STRING nothing is loaded.
  const telemetry = startTelemetry(config.telemetry, log);
  const { openStore, storageConnection } = await import('./store/store');
  const { startBotServer } = await import('./bot/server');
  const { instrumentReminderPass, observeOutboxBacklog } = await import('./telemetry/metrics');
  const connection = storageConnection(config.storage);
  if (!connection) {
    throw new ConfigError([
      'STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME saknas: starta med "npm start" (som startar Azurite), eller ange lagringskontot i miljön',
    ]);
  }
  const storageName = connection.connectionString ? 'STORAGE_CONNECTION_STRING' : connection.account!.endpoint;
  const store = await openStore({ ...connection, tablePrefix: config.storage.tablePrefix }).catch((error: Error) => {
    throw new Error(`Norrbus kunde inte nå Azure Storage (${storageName}): ${error.message}`);
  });
  const bot = await startBotServer({ config, store, log, clock: () => new Date() });
  if (telemetry) {
    instrumentReminderPass(bot.reminders);
    observeOutboxBacklog(store.outbox);
  }
  log.info({ url: `${bot.url}/api/messages` }, 'Norrbus bot listening');

  // SIGTERM (App Service, containers, `npm start`) or Ctrl-C: stop taking work, give what runs
  // SHUTDOWN_SECONDS to finish, exit 0; unfinished sends stay in the outbox for the next start.
  // A second signal exits at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, shutdownMs: config.shutdownMs }, 'stopping');
    // close() keeps to the bound itself; this is the backstop should something in it hang.
    setTimeout(() => {
      log.warn({ shutdownMs: config.shutdownMs }, 'stopping took longer than SHUTDOWN_SECONDS: exiting now');
      process.exit(0);
    }, config.shutdownMs + 1_000).unref();
    bot
      .close()
      // The last spans and metrics are sent before the process ends.
      .then(() => telemetry?.shutdown().catch((error: Error) => log.warn({ err: { name: error.name } }, 'telemetry: flush failed')))
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (error: Error) => {
          log.error({ err: { name: error.name, message: error.message } }, 'stopping failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
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
