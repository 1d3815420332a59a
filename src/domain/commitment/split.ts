import { readHead } from './head';
import { organisationMentions, type CommitmentParty } from './parties';
import { fold, isWordOrSlip, normalise, tokens } from './text';

/**
 * Splitting, in two steps:
 * 1. a message into commitments — one per line or bullet ("-", "•", "*", "1.", "a)"), and one per
 *    sentence when a line holds several that each start with their party ("Skolan: … . Soc: …");
 *    a heading line ending in a colon ("Skolan:", "Åtaganden:") is no commitment, and when it names
 *    a party, the lines under it belong to that party unless they name their own;
 * 2. a commitment into pieces — at commas, semicolons, parentheses, spaced dashes, sentence ends,
 *    and just before the words that start a follow-up, a performer or a labelled field, so
 *    "… 2 h/v utförs av mentor och följs upp v 14" gives three pieces without any comma.
 */

export interface Segment {
  text: string;
  /** The party of the heading the commitment stands under, if any. */
  heading: CommitmentParty | null;
}

const BULLET = /^\s*(?:[-–—•*·▪►]+|\d{1,2}[.)]|[a-zA-Z][)])\s*/;

/** The commitments of a message, with the party of the heading each stands under. */
export function splitMessage(message: string): Segment[] {
  const segments: Segment[] = [];
  let heading: CommitmentParty | null = null;
  for (const rawLine of normalise(message).split(/\r?\n|\r/)) {
    const line = rawLine.replace(BULLET, '').trim();
    if (!/[\p{L}\p{N}]/u.test(line)) continue;
    if (line.endsWith(':') && tokens(fold(line)).length <= 5) {
      heading = organisationMentions(fold(line))[0]?.party ?? null;
      continue;
    }
    for (const text of splitSentences(line)) segments.push({ text, heading });
  }
  return segments;
}

/**
 * A line cut before each sentence (after ". ", "; " or " • ") that starts with a party of its own,
 * and before a clause (after ", ", "; ", ". ") in which another party does something of its own:
 * "BUP: depressionsbedömning, HC står för stödsamtal under tiden".
 */
function splitSentences(line: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const m of line.matchAll(/(?:[.;,]|\s•)\s+/g)) {
    const next = m.index + m[0].length;
    const rest = line.slice(next);
    const clause = m[0].startsWith(',') ? startsWithPartyClause(rest) : startsWithOrganisationHead(rest) || startsWithPartyClause(rest);
    if (clause && /[\p{L}\p{N}]/u.test(line.slice(from, m.index))) {
      parts.push(line.slice(from, m.index + (m[0].startsWith('.') ? 1 : 0)));
      from = next;
    }
  }
  parts.push(line.slice(from));
  return parts.map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p));
}

/** "Soc: …", "HC gör …": a capitalised organisation that heads a commitment. */
function startsWithOrganisationHead(text: string): boolean {
  const folded = fold(text);
  const firstWord = tokens(folded)[0];
  return /^\p{Lu}/u.test(text) && !!firstWord && organisationMentions(folded.slice(0, firstWord.end)).length > 0 && readHead(text, folded) !== null;
}

/** Words ending in -r that are no verb ("HC för …", "skolan efter lovet"). */
const NOT_VERBS = /^(?:for|efter|under|eller|per|var|mer|dar|ar|nar|hur)$/;
/** A party that only follows up or calls to a meeting adds to the commitment before it ("…, EHT följer upp v 14"). */
const FOLLOW_UP_VERBS = /^(?:foljer|stammer|utvarderar|aterkopplar|kallar|ater)$/;

/** "HC står för …", "skolan ger …", "BUP och soc gör …": an organisation, then a verb in the present tense. */
function startsWithPartyClause(text: string): boolean {
  const folded = fold(text);
  const head = readHead(text, folded);
  const first = tokens(folded)[0];
  if (!head || !first || first.start !== 0 || organisationMentions(folded.slice(0, first.end)).length === 0) return false;
  if (/^\s*[:–—-]/.test(folded.slice(first.end))) return false;
  // the clause up to its next comma or full stop must say more than the verb ("…, HC ansvarar, …" only names the party)
  const clause = tokens(folded.slice(head.end).split(/[,;]|\.\s/)[0]);
  const verb = clause[0];
  return (
    !!verb && clause.length >= 2 && /^(?:ska|kommer|[a-z]{2,}r)$/.test(verb.word) && !NOT_VERBS.test(verb.word) && !FOLLOW_UP_VERBS.test(verb.word)
  );
}

/** Words after which a full stop is an abbreviation, not the end of a sentence. */
const ABBREVIATIONS = new Set(['dr', 'ca', 'kl', 'st', 'nr', 'resp', 'inkl', 'ang', 'bl', 'ex', 'tex', 'uppf', 'mm', 'tel', 'tim', 'min', 'ggr', 'man', 'sept', 'okt', 'nov', 'dec', 'jan', 'feb', 'mar', 'apr', 'aug', 'jun', 'jul']);

/** Words that start a new piece: follow-up, performer, labelled fields, a deadline. */
export const FOLLOW_UP = /\b(?:uppfoljningsmote(?:t)?|uppfoljande\s+mote|uppfoljning(?:en|ar)?|uppf\b\.?|foljs\s+upp|foljas\s+upp|foljer\s+vi\s+upp|avstamning(?:en)?|stams\s+av|stammer\s+(?:vi\s+)?av|utvarderas|aterkoppling|atersamling|ses\s+igen)/g;
/** "följer upp" starts a follow-up only when a date follows ("HC följer upp 2/4"); else it is the intervention. */
export const WEAK_FOLLOW_UP = /\b(?:foljer|folja)\s+(?:vi\s+)?upp\b/g;
export const PERFORMER = /\b(?:ansvarig\s+utforare|utfors\s+av|utforare|utfors|utforande|gors\s+av|genomfors\s+av|ges\s+av|halls\s+av|leds\s+av|skots\s+av|hanteras\s+av)\b/g;
const STARTERS = [
  FOLLOW_UP,
  WEAK_FOLLOW_UP,
  PERFORMER,
  /\b(?:ansvarig(?:\s+part)?|ansvar|part|insats|atgard|atagande|omfattning|datum)\s*:/g,
  /\b(?:(?:klart?|fardigt?|beslut|svar)\s+)?senast\b/g,
  /\b(?:klart?|fardigt?)\s+(?:till|innan|fore)\b/g,
];
/** Typing slips of the starter words that regular expressions cannot list. */
const SLIPPED_STARTERS = ['uppfoljning', 'utforare'];

export interface Piece {
  start: number;
  end: number;
}

/** The pieces of one commitment (folded text), trimmed, in order. */
export function splitPieces(folded: string, original: string, from = 0): Piece[] {
  const cuts: Array<{ at: number; skip: number }> = [];
  for (let i = from; i < folded.length; i++) {
    const c = folded[i];
    if (c === ';' || c === '(' || c === ')' || c === '[' || c === ']') cuts.push({ at: i, skip: 1 });
    else if (c === ',' && !(/\d/.test(folded[i - 1] ?? '') && /\d/.test(folded[i + 1] ?? ''))) cuts.push({ at: i, skip: 1 });
    else if (/[-–—]/.test(c) && folded[i - 1] === ' ' && folded[i + 1] === ' ') cuts.push({ at: i, skip: 1 });
    else if (c === '.' && /\s/.test(folded[i + 1] ?? '') && endsSentence(folded, original, i)) cuts.push({ at: i, skip: 1 });
  }
  for (const starter of STARTERS) {
    for (const m of folded.slice(from).matchAll(starter)) {
      const at = from + m.index;
      // "medicinsk uppföljning av ADHD-medicinering" is what is done, not a follow-up clause
      if (starter === FOLLOW_UP && /^uppfoljning\s+av\b/.test(folded.slice(at)) && /[a-z0-9]\s+$/.test(folded.slice(from, at))) continue;
      cuts.push({ at, skip: 0 });
    }
  }
  for (const t of tokens(folded.slice(from))) {
    const medical = t.word === 'uppfoljning' && /^\s+av\b/.test(folded.slice(from + t.end)) && /[a-z0-9]\s+$/.test(folded.slice(from, from + t.start));
    if (!medical && SLIPPED_STARTERS.some((starter) => startsWithSlipOf(t.word, starter))) {
      cuts.push({ at: from + t.start, skip: 0 });
    }
  }
  cuts.sort((a, b) => a.at - b.at);
  const pieces: Piece[] = [];
  let start = from;
  for (const cut of [...cuts, { at: folded.length, skip: 0 }]) {
    if (cut.at < start) continue;
    pushTrimmed(pieces, folded, start, cut.at);
    start = cut.at + cut.skip;
  }
  return pieces;
}

/** `word` begins with `starter` or a typing slip of it ("uppfoljningen", "upfoljning", "uppföljnig"). */
function startsWithSlipOf(word: string, starter: string): boolean {
  return [starter.length - 1, starter.length, starter.length + 1].some(
    (length) => length <= word.length && isWordOrSlip(word.slice(0, length), starter),
  );
}

function endsSentence(folded: string, original: string, dot: number): boolean {
  const word = /([a-z0-9]+)$/.exec(folded.slice(0, dot))?.[1] ?? '';
  const next = /\S/.exec(original.slice(dot + 1));
  if (!next || /\d/.test(next[0]) || ABBREVIATIONS.has(word)) return false;
  return /\p{Lu}/u.test(next[0]);
}

function pushTrimmed(pieces: Piece[], folded: string, start: number, end: number): void {
  while (start < end && /[\s,.;:–—\-•*]/.test(folded[start])) start++;
  while (end > start && /[\s,;:–—\-•*]/.test(folded[end - 1])) end--;
  if (/[a-z0-9]/.test(folded.slice(start, end))) pieces.push({ start, end });
}
