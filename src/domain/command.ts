import { parseMunicipality, type Municipality } from './municipality';

/** What a person asked the bot to do, read from a chat message. */
export type Command =
  | { kind: 'help' }
  | { kind: 'newMeeting' }
  | { kind: 'myMeetings' }
  | { kind: 'commitment'; text: string }
  | { kind: 'plan'; asText: boolean }
  | { kind: 'deviation' }
  | { kind: 'disagreement' }
  | { kind: 'statistics'; year?: number; municipality?: Municipality }
  | { kind: 'register' }
  | { kind: 'channels'; municipality?: Municipality }
  /** A command that names a municipality outside the 14 (never echoed back). */
  | { kind: 'unknownMunicipality' }
  /** Not understood; when it is one typo from a command, that command (the bot's words, never the input). */
  | { kind: 'unknown'; suggestion?: string };

/**
 * Words are compared after folding case and diacritics, so "HJALP", "hjälp" and "Hjälp" are one
 * command. The free text of `åtagande` keeps its original form.
 */
function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Removes Teams mention markup (`<at>Norrbus</at>`) and a leading `/norrbus`, `@norrbus` or `norrbus`. */
function stripAddressing(text: string): string {
  return text
    .normalize('NFC')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[/@]?norrbus\b[:,]?\s*/i, '');
}

function parseStatistics(args: string[]): Command {
  let year: number | undefined;
  let municipality: Municipality | undefined;
  const rest: string[] = [];
  for (const arg of args) {
    if (year === undefined && /^\d{4}$/.test(arg)) year = Number(arg);
    else rest.push(arg);
  }
  if (rest.length > 0) {
    municipality = parseMunicipality(rest.join(' '));
    if (!municipality) return { kind: 'unknownMunicipality' };
  }
  return { kind: 'statistics', year, municipality };
}

/**
 * Reads a message addressed to the bot. The prefix "norrbus" is optional, since in a personal chat
 * and after an @mention it is clear who is addressed. Anything not understood is `unknown`, which
 * the bot answers with the help card, or with "menade du …" when it is a typo of a command.
 */
export function parseCommand(rawText: string): Command {
  const command = parseWords(rawText);
  if (command.kind !== 'unknown') return command;
  const suggestion = nearestCommand(rawText);
  return suggestion ? { kind: 'unknown', suggestion } : command;
}

/** The commands as people type them, for "menade du …". */
const PHRASES = ['nytt möte', 'mina möten', 'åtagande', 'plan', 'avvikelse', 'oenighet', 'statistik', 'registrera', 'kanaler', 'hjälp'];

/** Edit distance (Levenshtein) between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/**
 * The command a message most likely meant, when it is at most two typos away from one (a
 * misspelt "norrbus" in front is allowed too): "norbus nytt möt" → "nytt möte".
 */
function nearestCommand(rawText: string): string | undefined {
  const words = stripAddressing(rawText).split(' ').map(fold).filter(Boolean);
  if (words.length > 0 && words[0] !== 'norrbus' && distance(words[0], 'norrbus') <= 2) words.shift();
  if (words.length === 0) return undefined;
  let best: { phrase: string; d: number } | undefined;
  for (const phrase of PHRASES) {
    // "åtagande" alone is not a typo: it needs the commitment's text, as the help card says.
    if (phrase === 'åtagande' && words.length === 1) continue;
    const size = phrase.split(' ').length;
    const typed = words.slice(0, size).join(' ');
    const d = distance(typed, fold(phrase));
    if (d <= Math.min(2, Math.floor(phrase.length / 3)) && (!best || d < best.d)) best = { phrase, d };
  }
  return best?.phrase;
}

function parseWords(rawText: string): Command {
  const text = stripAddressing(rawText);
  if (text === '') return { kind: 'help' };
  const words = text.split(' ');
  const [first, second] = words.map(fold);

  switch (first) {
    case 'hjalp':
    case 'help':
    case '?':
      return words.length === 1 ? { kind: 'help' } : { kind: 'unknown' };
    case 'nytt':
      return second === 'mote' && words.length === 2 ? { kind: 'newMeeting' } : { kind: 'unknown' };
    case 'mina':
      return second === 'moten' && words.length === 2 ? { kind: 'myMeetings' } : { kind: 'unknown' };
    case 'atagande': {
      const commitment = words.slice(1).join(' ').trim();
      return commitment ? { kind: 'commitment', text: commitment } : { kind: 'unknown' };
    }
    case 'plan':
      if (words.length === 1) return { kind: 'plan', asText: false };
      return words.length === 2 && second === 'text' ? { kind: 'plan', asText: true } : { kind: 'unknown' };
    case 'avvikelse':
      return words.length === 1 ? { kind: 'deviation' } : { kind: 'unknown' };
    case 'oenighet':
      return words.length === 1 ? { kind: 'disagreement' } : { kind: 'unknown' };
    case 'statistik':
      return parseStatistics(words.slice(1));
    case 'registrera':
      return words.length === 1 ? { kind: 'register' } : { kind: 'unknown' };
    case 'kanaler': {
      if (words.length === 1) return { kind: 'channels' };
      const municipality = parseMunicipality(words.slice(1).join(' '));
      return municipality ? { kind: 'channels', municipality } : { kind: 'unknownMunicipality' };
    }
    default:
      return { kind: 'unknown' };
  }
}
