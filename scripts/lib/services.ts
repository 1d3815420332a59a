import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/projectRoot';
import { httpCheck, spawnChild, waitUntilReady, type Child } from './child';

/** Azurite's well-known development account key (public, the same for every Azurite). */
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
}

/** Azurite's table service as a child, persisting under `location`. Stop it with SIGINT so it flushes. */
export async function startAzuriteChild(port: number, location: string, echo = false): Promise<Child> {
  const main = require.resolve('azurite/dist/src/table/main.js');
  const child = spawnChild(
    'azurite',
    process.execPath,
    [main, '--location', location, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { echo },
  );
  await waitUntilReady(child, httpCheck(`http://127.0.0.1:${port}/devstoreaccount1/Tables`, () => true));
  return child;
}

export interface PlaygroundOptions {
  /** The child's name in messages; "playground" unless given (e.g. "playground skola"). */
  name?: string;
  port: number;
  botEndpoint: string;
  /** The organisation it simulates (users, chats, team and channels). */
  configPath?: string;
  logFile: string;
  echo?: boolean;
}

/** The school's organisation: the Playground of the end-to-end tests, and the first of `npm start`'s three. */
export const DEFAULT_PLAYGROUND_CONFIG = path.join(projectRoot(), 'playground', 'lulea-skola.yml');

/** The Microsoft 365 Agents Playground (local Teams client) as a child, ready when it answers ping. */
export async function startPlaygroundChild(options: PlaygroundOptions): Promise<Child> {
  const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  const name = options.name ?? 'playground';
  const child = spawnChild(
    name,
    process.execPath,
    [cli, '-p', String(options.port), '-e', options.botEndpoint, '-c', 'msteams', '--dt'],
    {
      echo: options.echo,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath ?? DEFAULT_PLAYGROUND_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
      },
    },
  );
  try {
    // When its port is taken the Playground quietly listens on another one: wait for its own word.
    await waitUntilReady(child, async () => /Listening on \d+/.test(child.tail()));
    const listening = Number(/Listening on (\d+)/.exec(child.tail())?.[1]);
    if (listening !== options.port) {
      await child.stop();
      throw new Error(`Port ${options.port} for the Agents Playground (${name}) is already in use (it fell back to ${listening}); set PLAYGROUND_PORT.`);
    }
    await waitUntilReady(child, httpCheck(`http://127.0.0.1:${options.port}/_debug/ping`, (s, body) => s === 200 && body.includes('pong')));
  } catch (error) {
    if (!child.hasExited()) await child.stop();
    const log = existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8').slice(-3000) : '(no log)';
    throw new Error(`${(error as Error).message}\nPlayground log (${options.logFile}):\n${log}`);
  }
  return child;
}
