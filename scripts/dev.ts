import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../src/config/config';
import { projectRoot } from '../src/projectRoot';
import { httpCheck, spawnChild, waitUntilReady, type Child } from './lib/child';
import { isPortFree } from './lib/ports';
import { azuriteConnectionString, startAzuriteChild, startPlaygroundChild } from './lib/services';

/**
 * `npm start`: Azurite (unless a storage connection string is configured), the bot and the Agents
 * Playground as one supervised group. Ctrl-C stops them in reverse order, Azurite with SIGINT so it
 * writes its data to disk. If any of them dies, the others are stopped and the reason is shown.
 */
const root = projectRoot();
const children: Child[] = [];
let stopping = false;

async function checkPorts(config: Config): Promise<void> {
  const wanted: [number, string, string, string][] = [
    [config.bot.port, config.bot.host, 'the bot', 'BOT_PORT'],
    [config.playground.port, '0.0.0.0', 'the Agents Playground', 'PLAYGROUND_PORT'],
  ];
  if (!config.storage.connectionString) wanted.push([config.azurite.tablePort, '127.0.0.1', 'Azurite', 'AZURITE_TABLE_PORT']);
  const taken: string[] = [];
  for (const [port, host, what, variable] of wanted) {
    if (!(await isPortFree(port, host))) taken.push(`  - port ${port} (${what}) is already in use; stop what runs there (an earlier "npm start"?) or set ${variable}`);
  }
  if (taken.length) throw new Error(`Cannot start:\n${taken.join('\n')}`);
}

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const child of [...children].reverse()) {
      await child.stop(child.name === 'azurite' ? 'SIGINT' : 'SIGTERM');
    }
  }
  process.exit(code);
}

function watch(child: Child): void {
  children.push(child);
  void child.exited.then((code) => {
    if (stopping) return;
    console.error(`\n${child.name} stopped unexpectedly (exit ${code}). Its last output:\n${child.tail()}\nStopping the rest.`);
    void stopAll(1);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  await checkPorts(config);

  let connectionString = config.storage.connectionString;
  if (connectionString) {
    console.log('Using the storage account of STORAGE_CONNECTION_STRING (no Azurite started).');
  } else {
    const location = path.resolve(root, config.azurite.location);
    console.log(`Starting Azurite (tables on 127.0.0.1:${config.azurite.tablePort}, data in ${path.relative(root, location)}/) …`);
    watch(await startAzuriteChild(config.azurite.tablePort, location));
    connectionString = azuriteConnectionString(config.azurite.tablePort);
  }

  console.log(`Starting the Norrbus bot on http://${config.bot.host}:${config.bot.port} …`);
  const bot = spawnChild('bot', process.execPath, [path.join(root, 'dist', 'src', 'main.js')], {
    echo: true,
    env: { ...process.env, NORRBUS_ENV: config.env, STORAGE_CONNECTION_STRING: connectionString },
  });
  watch(bot);
  await waitUntilReady(bot, httpCheck(`http://${config.bot.host}:${config.bot.port}/healthz`, (status) => status === 200));

  console.log('Starting the Microsoft 365 Agents Playground …');
  const playground = await startPlaygroundChild({
    port: config.playground.port,
    botEndpoint: `http://${config.bot.host}:${config.bot.port}/api/messages`,
    logFile: path.join(root, 'devTools', 'playground.log'),
  });
  watch(playground);

  console.log(
    [
      '',
      'Norrbus is running.',
      `  Open http://localhost:${config.playground.port} in your browser (the local Teams client).`,
      '  Try "norrbus hjälp" in the personal chat, or "@Norrbus registrera" in the channel "Norrbus – Elevhälsan".',
      '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => {
  console.log('\nStopping …');
  void stopAll(0);
});
process.on('SIGTERM', () => void stopAll(0));

main().catch(async (error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `\n${(error as Error).message}`);
  await stopAll(1);
});
