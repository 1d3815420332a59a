import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { containsPersonalIdentityNumber } from '../domain/privacy';

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

/**
 * A value the operator gave, fit to be shown back in a message: at most `max` characters, no
 * control or invisible characters, no personnummer (checked on the whole value). Otherwise
 * undefined, and the message must do without it.
 */
export function echoable(value: string, max = 40): string | undefined {
  if (value.length > max || /\p{C}/u.test(value) || containsPersonalIdentityNumber(value)) return undefined;
  return value;
}

/** Node's `util.parseArgs` errors (unknown flag, missing value, stray argument) as a usage error. */
export function asUsageError(error: unknown): never {
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    // Node's message quotes the offending argument: shown only when it is safe to show.
    const detail = echoable(error.message, 120);
    throw new UsageError(detail === undefined ? 'ogiltigt argument (bad argument)' : `ogiltigt argument (bad argument): ${detail}`);
  }
  throw error;
}

/**
 * The `--name <value>` flags of a subcommand (and `--name` switches among `switches`, given as
 * 'true'), and whether `--help`/`-h` was given; anything else is a usage error.
 */
export function parseFlags<K extends string>(args: string[], names: readonly K[], switches: readonly K[] = []): { help: boolean; values: Partial<Record<K, string>> } {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const name of names) options[name] = switches.includes(name) ? { type: 'boolean' } : { type: 'string' };
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    const { help, ...flags } = values as Record<string, string | boolean | undefined>;
    const asText = Object.fromEntries(Object.entries(flags).map(([k, v]) => [k, v === true ? 'true' : v]).filter(([, v]) => v !== false && v !== undefined));
    return { help: help === true, values: asText as Partial<Record<K, string>> };
  } catch (error) {
    return asUsageError(error);
  }
}
