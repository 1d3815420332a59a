import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/projectRoot';

/** The built CLI; `npm test` builds it first. */
export const CLI = path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js');

/** `norrbus <args>` as an operator runs it: `node dist/src/cli/main.js` with the given environment. */
export function norrbus(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NORRBUS_ENV: 'local', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character split across two chunks stays whole.
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
