import { spawn, type ChildProcess } from 'node:child_process';

/** A supervised child process: its exit as a promise, the last lines it printed, and a clean stop. */
export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) whenever the child ends. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  /** The last lines of its output, to explain a failure. */
  tail(): string;
  /** Sends the signal and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Echo the child's output to ours, prefixed with its name. */
  echo?: boolean;
}

const TAIL_LINES = 40;

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the supervisor only, which stops children in order.
    detached: true,
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split(/\r?\n/)) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      if (options.echo) process.stdout.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      done = true;
      lines.push(String(error));
      resolve('spawn-error');
    });
  });

  return {
    name,
    process: child,
    exited,
    hasExited: () => done,
    tail: () => lines.join('\n'),
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (done) return;
      child.kill(signal);
      const timer = setTimeout(() => !done && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `check` until it returns true. Fails early, with the child's last output, if the child
 * ends first, and with a clear message after `timeoutMs`.
 */
export async function waitUntilReady(child: Child, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.hasExited()) {
      throw new Error(`${child.name} stopped unexpectedly (exit ${await child.exited}) before it was ready.\n${child.tail()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${child.name} was not ready within ${timeoutMs / 1000} s.\n${child.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** A check that is true when the URL answers with an accepted status (and body, if given). */
export function httpCheck(url: string, accept: (status: number, body: string) => boolean = (s) => s < 500): () => Promise<boolean> {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return accept(response.status, await response.text());
  };
}
