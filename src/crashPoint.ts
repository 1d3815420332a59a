/**
 * A test hook for crash recovery: when NORRBUS_CRASH_AT names this point, the process dies here at
 * once, as if killed with SIGKILL, so a test can stop the bot between two writes without timing.
 * Unset in every real environment.
 */
export function crashPoint(name: string): void {
  if (process.env.NORRBUS_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
