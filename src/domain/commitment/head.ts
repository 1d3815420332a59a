import { organisationOf, type CommitmentParty } from './parties';
import { roleAt } from './roles';
import { tokens, type Token } from './text';

/**
 * The head of a commitment: who it starts with, before the intervention. People write
 * "Skolan ansvarar för …", "Soc: …", "HC gör …", "Hälsocentralen Hertsön: …", "BUP – …",
 * "Kurator på skolan har …", "Distriktssköterska Leila: …". A head that names an organisation gives
 * the party; one that names a profession gives the party the profession belongs to (if any) and the
 * performer, from the profession on ("Skolans kurator" → kurator).
 */
export interface Head {
  /** Where the rest of the commitment starts (after the head and its colon or dash). */
  end: number;
  party: CommitmentParty | null;
  /** Every organisation the head names, in order: "BUP och skolan …" is a commitment of both. */
  parties: CommitmentParty[];
  performer: { start: number; end: number } | null;
}

/** Labels of the formal style ("Insats: …") look like a head but are not one. */
const LABEL = /^\s*(?:ansvarig(?:\s+part)?|ansvar|part|insats|atgard|atagande|omfattning|utforare|utfors\s+av|uppfoljning|uppf|datum)\s*:/;
const JOINERS = new Set(['och', 'pa', 'vid', 'fran', 'i']);

function isMention(t: Token): boolean {
  const role = roleAt(t);
  return organisationOf(t.word) !== null || (role !== null && !role.alsoIntervention);
}

function headOf(folded: string, words: Token[], end: number, restStart: number): Head {
  const inside = words.filter((t) => t.end <= end);
  const orgs = [...new Set(inside.map((t) => organisationOf(t.word)).filter((p) => p !== null))];
  const org = orgs[0] ?? null;
  const role = inside.map(roleAt).find((r) => r !== null) ?? null;
  let performerEnd = end;
  while (performerEnd > 0 && /[\s)\]:]/.test(folded[performerEnd - 1])) performerEnd--;
  return {
    end: restStart,
    party: org ?? role?.party ?? null,
    parties: orgs.length > 0 ? orgs : role?.party ? [role.party] : [],
    performer: role ? { start: role.start, end: performerEnd } : null,
  };
}

/** "Vi på socialtjänsten erbjuder …" and "Barn- och ungdomspsykiatrin …" start before their organisation. */
const PREFIX = /^\s*(?:vi\s+(?:pa|fran|i|inom)\s+|barn-\s*och\s+(?=ungdom))/;
/** A colon that separates, not the one of "VC:n", "HC:s", "15:e" or a law reference ("11:1 SoL"). */
const SEPARATING_COLON = /:(?![a-z]{1,2}\b|\d)/;
/** A name in a head, in parentheses or after a slash: "Soc (Jonas):", "HC/Leila:". */
const NAMED = /[(/]\s*(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)\s*\)?\s*$/u;

/** The head at the start of a commitment, or null when it does not start with one. */
export function readHead(original: string, folded: string): Head | null {
  if (LABEL.test(folded)) return null;
  const prefix = PREFIX.exec(folded)?.[0].length ?? 0;
  const words = tokens(folded).filter((t) => t.start >= prefix);
  if (words.length === 0 || !/^[\s(]*$/.test(folded.slice(prefix, words[0].start))) return null;

  // "Skolan:", "Hälsocentralen Hertsön:", "Soc (Jonas):", "Från skolan:", "Skolans åtagande:"
  const colon = SEPARATING_COLON.exec(folded)?.index ?? -1;
  if (colon > 0 && colon <= 60 && !/[,;]/.test(folded.slice(0, colon))) {
    const before = words.filter((t) => t.end <= colon);
    if (before.length <= 6 && before.some(isMention)) {
      const head = headOf(folded, words, colon, colon + 1);
      const named = head.performer ? null : NAMED.exec(original.slice(0, colon));
      if (named) head.performer = { start: named.index + named[0].indexOf(named[1]), end: named.index + named[0].indexOf(named[1]) + named[1].length };
      return head;
    }
  }

  // "Skolan ansvarar …", "BUP – …", "Kurator på skolan har …", "Skolans kurator …", "Hälsocentralen Hertsön gör …"
  if (!isMention(words[0]) || /^[-/]\w/.test(folded.slice(words[0].end, words[0].end + 2))) return null;
  let last = 0;
  let sawRole = roleAt(words[0]) !== null;
  for (let i = 1; i < words.length; i++) {
    const t = words[i];
    const gap = folded.slice(words[i - 1].end, t.start);
    if (!/^[\s/&]*$/.test(gap)) break;
    const next = words[i + 1];
    if (JOINERS.has(t.word) && next && organisationOf(next.word) && /^\s+$/.test(folded.slice(t.end, next.start))) {
      last = ++i;
      continue;
    }
    if (organisationOf(t.word)) last = i;
    else if (roleAt(t) && (sawRole || /s$/.test(words[last].word))) {
      sawRole = true;
      last = i;
    } else if (/^\p{Lu}\p{Ll}+$/u.test(original.slice(t.start, t.end))) last = i;
    else break;
  }
  let headEnd = words[last].end;
  headEnd += /^:[a-z]{1,2}\b/.exec(folded.slice(headEnd))?.[0].length ?? 0;
  headEnd += /^\s*\([^)]*\)/.exec(folded.slice(headEnd))?.[0].length ?? 0;
  if (!/[\p{L}\p{N}]/u.test(folded.slice(headEnd))) return null;
  const dash = /^\s*[:–—-]\s*/.exec(folded.slice(headEnd));
  return headOf(folded, words, headEnd, headEnd + (dash ? dash[0].length : 0));
}
