/**
 * Text helpers shared by the commitment reader. All matching is done on a *folded* copy of the
 * text — lower case, å/ä → a, ö → o, é → e — that has exactly the same length as the original, so
 * a match found in the folded text can be cut out of the original with the same indices and the
 * writer's own spelling comes back in the result.
 */

const FOLDS: Record<string, string> = { å: 'a', ä: 'a', à: 'a', á: 'a', ö: 'o', ø: 'o', é: 'e', è: 'e', ü: 'u' };

/** NFC, and every kind of space as a plain space: the form both the original and the folded copy use. */
export function normalise(text: string): string {
  return text.normalize('NFC').replace(/[\u00a0\u2007\u202f\t]/g, ' ').replace(/[’´`]/g, "'");
}

/** Lower case without diacritics, one character for one character. */
export function fold(text: string): string {
  let folded = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const single = lower.length === char.length ? lower : char;
    folded += FOLDS[single] ?? single;
  }
  return folded;
}

export interface Token {
  /** The folded word. */
  word: string;
  start: number;
  end: number;
}

/**
 * A hyphenated compound whose last part is a profession ("bvc-skoterskan", "hc-lakare") is one
 * word; every other hyphen separates words ("MI-samtal" is "mi" and "samtal").
 */

/** The words (letters and digits) of a folded text, with their positions. */
export function tokens(folded: string): Token[] {
  return [...folded.matchAll(/(?:[a-z0-9]+-(?=[a-z]*(?:larare|skoterska|lakare|pedagog|kurator|psykolog|terapeut|assistent|sekreterare|behandlare|handlaggare)(?:n|en|na|erna|arna|r|s|ns|ens)?\b))?[a-z0-9]+/g)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Damerau–Levenshtein distance (optimal string alignment), enough for typing slips. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * A folded word that is `target` or a typing slip of it: one slip allowed in words of 8 letters
 * or more, two in words of 13 or more; shorter words must be exact (too many real words lie one
 * letter from "soc" or "skola").
 */
export function isWordOrSlip(word: string, target: string): boolean {
  if (word === target) return true;
  const allowed = target.length >= 13 ? 2 : target.length >= 8 ? 1 : 0;
  return allowed > 0 && Math.abs(word.length - target.length) <= allowed && editDistance(word, target) <= allowed;
}

/**
 * A field value as it is reported: surrounding spaces, punctuation and dangling conjunctions
 * removed, inner white space collapsed; `null` when nothing is left.
 */
export function tidy(text: string): string | null {
  let value = text.replace(/\s+/g, ' ');
  for (;;) {
    const next = value
      .replace(/^[\s,.;:–—\-•*]+|[\s,;:–—\-•*]+$/g, '')
      .replace(/\.$/, '')
      .replace(/^\((.*)\)$/, '$1')
      .replace(/^(?:och|samt|men|,)\s+/i, '')
      .replace(/\s+(?:och|samt|men|som|med|av|hos|vid|detta|det|vilket|,)$/i, '');
    if (next === value) break;
    value = next;
  }
  return value === '' ? null : value;
}
