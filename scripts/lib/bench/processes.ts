import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../src/projectRoot';
import { httpCheck, spawnChild, waitUntilReady, type Child } from '../child';
import { freePort } from '../ports';
import { azuriteConnectionString } from '../services';

/** The processes a benchmark run starts: Azurite in memory, the Norrbus bot, the echo bot. */

export interface RunningAzurite {
  child: Child;
  port: number;
  connectionString: string;
}

/** Azurite's table service as a child, in memory (its stray files land in a temporary folder). */
export async function startMemoryAzurite(): Promise<RunningAzurite> {
  const port = await freePort();
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'norrbus-bench-azurite-'));
  const main = require.resolve('azurite/dist/src/table/main.js');
  const child = spawnChild('azurite', process.execPath, [main, '--inMemoryPersistence', '--tableHost', '127.0.0.1', '--tablePort', String(port), '--skipApiVersionCheck', '--disableTelemetry', '--silent'], { cwd });
  await waitUntilReady(child, httpCheck(`http://127.0.0.1:${port}/devstoreaccount1/Tables`, () => true));
  return { child, port, connectionString: azuriteConnectionString(port) };
}

export interface BenchBot {
  child: Child;
  port: number;
  endpoint: string;
  /** Process start to the first 200 from /healthz (ms). */
  startupMs: number;
  /** Resident set size now (bytes), from /proc. */
  rss(): number;
}

/** Polls `url` every 5 ms until it answers 200; the time from `since` (ms). */
async function until200(child: Child, url: string, since: number, timeoutMs = 30_000): Promise<number> {
  for (;;) {
    if (child.hasExited()) throw new Error(`${child.name} stopped before it was ready (exit ${await child.exited}).\n${child.tail()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status === 200, () => false);
    if (ok) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${child.name} not ready within ${timeoutMs / 1000} s.\n${child.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/**
 * The built Norrbus bot (`node dist/src/main.js`) in local mode (no BOT_ID: loopback only, no
 * tokens) over the storage given, with its reminder pass off and its outbox on its default interval.
 */
export async function startNorrbus(name: string, connectionString: string, tablePrefix: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchBot> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnChild(name, process.execPath, [...nodeArgs, path.join(projectRoot(), 'dist', 'src', 'main.js')], {
    cwd: projectRoot(),
    env: {
      ...process.env,
      NORRBUS_ENV: 'local',
      BOT_PORT: String(port),
      STORAGE_CONNECTION_STRING: connectionString,
      STORAGE_TABLE_PREFIX: tablePrefix,
      REMINDER_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const startupMs = await until200(child, `http://127.0.0.1:${port}/healthz`, started);
  return { child, port, endpoint: `http://127.0.0.1:${port}/api/messages`, startupMs, rss: () => rssOf(child.process.pid) };
}

/** The bare botbuilder echo bot (scripts/lib/bench/echoBot.ts, built). */
export async function startEcho(): Promise<BenchBot> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnChild('echo bot', process.execPath, [path.join(projectRoot(), 'dist', 'scripts', 'lib', 'bench', 'echoBot.js')], {
    env: { ...process.env, ECHO_PORT: String(port) },
  });
  const startupMs = await until200(child, `http://127.0.0.1:${port}/healthz`, started);
  return { child, port, endpoint: `http://127.0.0.1:${port}/api/messages`, startupMs, rss: () => rssOf(child.process.pid) };
}
