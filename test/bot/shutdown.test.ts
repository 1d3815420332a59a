import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { httpCheck, spawnChild, waitUntilReady, type Child } from '../../scripts/lib/child';
import { freePort } from '../../scripts/lib/ports';
import { projectRoot } from '../../src/projectRoot';
import { testTablePrefix } from '../support/store';
import { message } from './activities';

const MAIN = path.join(projectRoot(), 'dist', 'src', 'main.js');

/**
 * A Teams service on loopback that takes each request and answers it after `delayMs`, or never
 * (`delayMs` undefined; it still accepts the connection): a turn replying through it is in flight
 * for that long.
 */
async function slowTeams(delayMs?: number) {
  const arrived: string[] = [];
  const waiting: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    arrived.push(`${req.method} ${req.url}`);
    for (const wake of waiting.splice(0)) wake();
    req.resume();
    if (delayMs !== undefined) {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'reply-1' })), delayMs);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    arrived,
    /** Resolves once the bot has called it. */
    called: () => (arrived.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The bot as it runs in production (`node dist/src/main.js`, built by `npm run build`, which `npm
 * test` does first), in local mode over the test run's Azurite, on a free port.
 */
describe('stopping the bot (SIGTERM, SIGINT)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startBot(env: Record<string, string> = {}): Promise<{ child: Child; url: string; endpoint: string }> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does)`);
    const port = await freePort();
    const child = spawnChild('bot', process.execPath, [MAIN], {
      env: {
        ...process.env,
        NORRBUS_ENV: 'local',
        BOT_PORT: String(port),
        STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
        STORAGE_TABLE_PREFIX: testTablePrefix(),
        REMINDER_INTERVAL_SECONDS: '0',
        LOG_LEVEL: 'info',
        ...env,
      },
    });
    cleanups.push(() => child.stop('SIGKILL'));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(child, httpCheck(`${url}/healthz`, (status) => status === 200));
    return { child, url, endpoint: `${url}/api/messages` };
  }

  /** Sends the signal; the exit code and how long the process took to end. */
  async function signal(child: Child, name: NodeJS.Signals): Promise<{ code: number | string; ms: number }> {
    const start = performance.now();
    child.process.kill(name);
    const code = await child.exited;
    return { code, ms: Math.round(performance.now() - start) };
  }

  /** A message whose reply goes to `serviceUrl`: the request stays open until the reply is made. */
  function postMessage(endpoint: string, serviceUrl: string) {
    return fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message({ serviceUrl }, 'norrbus hjälp')) }).then(
      (response) => ({ status: response.status }),
      (error: Error) => ({ error: error.message }),
    );
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 at once on %s when nothing is running', async (name) => {
    const { child } = await startBot();
    const stopped = await signal(child, name);
    console.log(`idle ${name}: exit ${stopped.code} after ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(2_000);
    expect(child.tail()).toContain('"msg":"stopped"');
  });

  it('lets a turn in flight finish and answer, takes no new request, then exits 0', async () => {
    const teams = await slowTeams(1_500);
    cleanups.push(teams.close);
    const { child, url, endpoint } = await startBot({ SHUTDOWN_SECONDS: '10' });
    const inFlight = postMessage(endpoint, teams.serviceUrl);
    await teams.called();

    const stopping = signal(child, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // It no longer listens: a new request finds nobody.
    await expect(fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200 });
    const stopped = await stopping;
    console.log(`SIGTERM with a turn in flight for 1.5 s: exit ${stopped.code} after ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(3_500);
  });

  it('exits 0 within SHUTDOWN_SECONDS when a turn hangs on a Teams service that never answers', async () => {
    const teams = await slowTeams();
    cleanups.push(teams.close);
    const { child, endpoint } = await startBot({ SHUTDOWN_SECONDS: '2', CONNECTOR_TIMEOUT_SECONDS: '60' });
    const hanging = postMessage(endpoint, teams.serviceUrl);
    await teams.called();

    const stopped = await signal(child, 'SIGTERM');
    console.log(`SIGTERM with a hung turn, SHUTDOWN_SECONDS=2: exit ${stopped.code} after ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeGreaterThanOrEqual(1_900);
    expect(stopped.ms).toBeLessThan(3_500);
    // The request was not answered: its connection was cut.
    expect(await hanging).toHaveProperty('error');
    expect(child.tail()).toContain('work still running after SHUTDOWN_SECONDS is abandoned');
  });

  it('exits at once on a second signal', async () => {
    const teams = await slowTeams();
    cleanups.push(teams.close);
    const { child, endpoint } = await startBot({ SHUTDOWN_SECONDS: '30' });
    void postMessage(endpoint, teams.serviceUrl);
    await teams.called();

    child.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await signal(child, 'SIGINT');
    console.log(`second signal: exit ${second.code} after ${second.ms} ms`);
    expect(second.code).toBe(1);
    expect(second.ms).toBeLessThan(1_000);
  });
});
