#!/usr/bin/env node
import type { CliCommand, CliIo } from './command';
import { echoable, UsageError } from './command';
import { channels } from './channels';
import { erase } from './erase';
import { parseCommitment } from './parseCommitment';
import { stats } from './stats';
import { tick } from './tick';

/** The subcommands, each from its own file. */
const COMMANDS: CliCommand[] = [channels, erase, parseCommitment, stats, tick];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['Användning: norrbus <kommando> [flaggor]', '', 'Kommandon:', ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
}

/**
 * Runs `norrbus <subcommand> [flags]` and resolves to the exit code: 0 on success, 2 on bad
 * arguments (with a message and the usage on stderr), 1 on any other failure.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === undefined) {
    io.stderr.write(`norrbus: inget kommando angivet (no subcommand)\n\n${usage()}\n`);
    return 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const shown = echoable(name);
    io.stderr.write(`norrbus: okänt kommando${shown === undefined ? '' : ` "${shown}"`} (unknown subcommand)\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`norrbus ${command.name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`norrbus ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`norrbus: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
