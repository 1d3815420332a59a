import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../src/config/config';
import { projectRoot } from '../src/projectRoot';
import { openStore } from '../src/store/store';
import { httpCheck, spawnChild, waitUntilReady, type Child } from './lib/child';
import { DEMO_MUNICIPALITY, DEMO_ORGANISATIONS, DEMO_PARTIES, playgroundServiceUrl, seedDemoDirectory, type DemoParty } from './lib/demo';
import { isPortFree } from './lib/ports';
import { azuriteConnectionString, startAzuriteChild, startPlaygroundChild } from './lib/services';

/**
 * `npm start`: Azurite (unless a storage connection string is configured), the bot and three Agents
 * Playgrounds — Luleå's school, social services and health centre, on PLAYGROUND_PORT, +1 and +2 —
 * as one supervised group. With its own Azurite (local mode) it first puts the three organisations'
 * intake channels into the channel directory (idempotently); a configured storage account is never
 * seeded with demo data. Ctrl-C stops the group in reverse order, Azurite last and with SIGINT so it
 * writes its data to disk. If any part dies, the others are stopped and the reason is shown.
 */
const root = projectRoot();
const children: Child[] = [];
let stopping = false;

/** The port of each party's Playground: PLAYGROUND_PORT for the school, then +1 and +2. */
function playgroundPorts(config: Config): Record<DemoParty, number> {
  return Object.fromEntries(DEMO_PARTIES.map((party, i) => [party, config.playground.port + i])) as Record<DemoParty, number>;
}

async function checkPorts(config: Config): Promise<void> {
  if (config.playground.port < 1 || config.playground.port + DEMO_PARTIES.length - 1 > 65535) {
    throw new Error(`Cannot start:\n  - PLAYGROUND_PORT=${config.playground.port} leaves no room for three Playgrounds (it uses PLAYGROUND_PORT, +1 and +2); pick a port from 1 to ${65536 - DEMO_PARTIES.length}`);
  }
  const ports = playgroundPorts(config);
  const wanted: [number, string, string, string][] = [
    [config.bot.port, config.bot.host, 'the bot', 'BOT_PORT'],
    ...DEMO_PARTIES.map((party, i): [number, string, string, string] => [
      ports[party],
      '0.0.0.0',
      `the Agents Playground of ${DEMO_ORGANISATIONS[party].partyLabel}, PLAYGROUND_PORT${i ? `+${i}` : ''}`,
      'PLAYGROUND_PORT',
    ]),
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

  const ports = playgroundPorts(config);
  if (!config.storage.connectionString) {
    // Only our own Azurite gets demo data; the bot reads the same tables (same connection string and prefix).
    const store = await openStore({ connectionString, tablePrefix: config.storage.tablePrefix });
    const urls = Object.fromEntries(DEMO_PARTIES.map((party) => [party, playgroundServiceUrl(ports[party])])) as Record<DemoParty, string>;
    const results = await seedDemoDirectory(store, urls, new Date());
    const changed = results.filter((r) => r.outcome !== 'unchanged').map((r) => `${DEMO_ORGANISATIONS[r.party].partyLabel} ${r.outcome}`);
    console.log(`Channel directory of ${DEMO_MUNICIPALITY}: the three intake channels are registered${changed.length ? ` (${changed.join(', ')})` : ' (already there)'}.`);
  } else {
    console.log('The demo intake channels are not put into that storage account: register them with "@Norrbus registrera".');
  }

  console.log(`Starting the Norrbus bot on http://${config.bot.host}:${config.bot.port} …`);
  const bot = spawnChild('bot', process.execPath, [path.join(root, 'dist', 'src', 'main.js')], {
    echo: true,
    env: { ...process.env, NORRBUS_ENV: config.env, STORAGE_CONNECTION_STRING: connectionString },
  });
  watch(bot);
  await waitUntilReady(bot, httpCheck(`http://${config.bot.host}:${config.bot.port}/healthz`, (status) => status === 200));

  console.log(`Starting three Microsoft 365 Agents Playgrounds (ports ${DEMO_PARTIES.map((p) => ports[p]).join(', ')}) …`);
  const started = await Promise.allSettled(
    DEMO_PARTIES.map((party) =>
      startPlaygroundChild({
        name: `playground ${party}`,
        port: ports[party],
        botEndpoint: `http://${config.bot.host}:${config.bot.port}/api/messages`,
        configPath: DEMO_ORGANISATIONS[party].configPath,
        logFile: path.join(root, 'devTools', `playground-${party}.log`),
      }),
    ),
  );
  // Watch the ones that came up, so that a failure of another stops them too.
  for (const result of started) if (result.status === 'fulfilled') watch(result.value);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  console.log(
    [
      '',
      'Norrbus is running. Three organisations in Luleå, one local Teams client each: open them in three browser tabs.',
      ...DEMO_PARTIES.map((party) => `  ${who(party)}: http://localhost:${ports[party]}`),
      config.storage.connectionString
        ? '  Try "norrbus hjälp" in a personal chat, or "@Norrbus registrera" in a channel.'
        : `  Try "norrbus hjälp" in a personal chat, or "@Norrbus kanaler" in a channel: the three intake channels are\n  already in ${DEMO_MUNICIPALITY}'s channel directory.`,
      '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

/** "Skola (Karin Lindström, Sunderby skola)": who you are in a party's Playground. */
function who(party: DemoParty): string {
  const org = DEMO_ORGANISATIONS[party];
  return `${org.partyLabel} (${org.currentUser.name}, ${org.organisation})`;
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
