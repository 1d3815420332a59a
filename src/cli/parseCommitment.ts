import { createInterface } from 'node:readline';
import { DateTime } from 'luxon';
import { ZONE } from '../domain/calendar';
import { readCommitments, type Commitment } from '../domain/commitment';
import { containsPersonalIdentityNumber } from '../domain/privacy';
import { echoable, parseFlags, UsageError, type CliCommand } from './command';

const NOTHING: Commitment = { party: null, intervention: null, scope: null, performer: null, followUpDate: null };

/** Exactly the five keys, in this order, whatever the reader returns. */
function line(c: Commitment): string {
  return JSON.stringify({ party: c.party, intervention: c.intervention, scope: c.scope, performer: c.performer, followUpDate: c.followUpDate });
}

/** The answer to a line holding a personnummer: nothing of the line, all five keys null, and why. */
const REFUSED = JSON.stringify({ ...NOTHING, error: 'Raden innehåller ett personnummer och lästes inte.' });

/**
 * `norrbus parse-commitment --today YYYY-MM-DD`: one Swedish sentence per line on stdin, one JSON
 * object per line on stdout, in the same order, so output line n answers input line n. A line
 * with several commitments gives its first; a line with none (empty, only spaces, a heading such as
 * "Åtaganden:") gives an object with all five keys null. A line holding a personnummer is not read:
 * its answer has the five keys null and an "error", and nothing of the line is written anywhere.
 */
export const parseCommitment: CliCommand = {
  name: 'parse-commitment',
  summary: 'läser åtaganden på svenska, en mening per rad, och skriver JSON per rad',
  usage: [
    'norrbus parse-commitment --today <ÅÅÅÅ-MM-DD>',
    '  Läser en mening per rad från stdin och skriver ett JSON-objekt per rad till stdout:',
    '  {"party", "intervention", "scope", "performer", "followUpDate"}.',
    '  En rad med personnummer läses inte: alla fält blir null och "error" säger varför.',
    '  --today  dagens datum (Europe/Stockholm) som relativa datum räknas från, t.ex. 2026-03-12',
  ].join('\n'),

  async run(args, io) {
    const { help, values } = parseFlags(args, ['today'] as const);
    if (help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const today = values.today;
    if (today === undefined) throw new UsageError('--today saknas (missing --today)');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || !DateTime.fromISO(today, { zone: ZONE }).isValid) {
      const shown = echoable(today);
      throw new UsageError(`--today måste vara ett datum ÅÅÅÅ-MM-DD${shown === undefined ? '' : `, inte "${shown}"`} (invalid --today)`);
    }

    for await (const sentence of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      // The whole line is checked before the reader sees (and trims or cuts) any of it.
      if (containsPersonalIdentityNumber(sentence)) {
        io.stdout.write(`${REFUSED}\n`);
        continue;
      }
      io.stdout.write(`${line(readCommitments(sentence, today)[0] ?? NOTHING)}\n`);
    }
    return 0;
  },
};
