import type { Readable, Writable } from 'node:stream';

/** Where a subcommand reads and writes; the real process streams, or test doubles. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/**
 * One subcommand of the operator CLI (`norrbus <name> …`), each in its own file in `src/cli/`.
 * `run` gets the arguments after the subcommand's name and resolves to the exit code; it throws
 * `UsageError` for bad arguments, which `main` reports with the subcommand's usage and exit code 2.
 */
export interface CliCommand {
  name: string;
  /** One line: what it does. */
  summary: string;
  /** The synopsis and options, shown with `--help` and after a usage error. */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

/** Node's `util.parseArgs` errors (unknown flag, missing value, stray argument) as a usage error. */
export function asUsageError(error: unknown): never {
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    throw new UsageError(`ogiltigt argument (bad argument): ${error.message}`);
  }
  throw error;
}
