import type { IsoDate } from '../calendar';
import { findDatePhrase } from './dates';
import { readHead } from './head';
import { organisationMentions, type CommitmentParty } from './parties';
import { roleAt, roleMentions } from './roles';
import { findScope } from './scope';
import { FOLLOW_UP, PERFORMER, splitPieces, type Piece, type Segment } from './split';
import { fold, isWordOrSlip, tidy, tokens } from './text';

export interface Commitment {
  party: CommitmentParty | null;
  intervention: string | null;
  scope: string | null;
  performer: string | null;
  followUpDate: IsoDate | null;
}

/**
 * Verbs between the party and the intervention that say nothing of their own ("Skolan ansvarar
 * för …", "HC gör en …", "Soc ska erbjuda …"); with a following "att" and article they are dropped.
 * Any other verb is part of the intervention ("Skolan ser över schemat").
 */
const LIGHT_VERB = new RegExp(
  String.raw`^\s*(?:ska\s+|kommer\s+att\s+)?(?:ansvara(?:r)?\s+for|ar\s+ansvarig(?:a)?\s+for|ansvarig\s+for|har\s+(?:huvud)?ansvar(?:et)?\s+for|tar\s+ansvar(?:et)?\s+for|sta(?:r)?\s+for|gor|gora|ordna(?:r)?|erbjud(?:er|a)|ger|ge|genomfor(?:a)?|hall(?:er|a)\s+i|skot(?:er|a)|starta(?:r)?|paborja(?:r)?|fortsatt(?:er|a)(?:\s+med)?|har|ha|bidra(?:r)?\s+med|satt(?:er|a)\s+in|tillhandahaller)\b\s*(?:att\s+)?`,
);
const ARTICLE = /^(?:en|ett)\s+/i;
const RESPONSIBLE_LABEL = /^(?:ansvarig(?:\s+part)?|ansvar|part)\s*:\s*/;
const FIELD_LABEL = /^(?:insats|atgard|atagande|omfattning|datum)\s*:\s*/;
const DATE_PREFIX = /^(?:den|datum|klart?\s+senast|senast|klart?|deadline|till|innan|fore)\s*:?\s*/;
const SCOPE_PREFIX = /^(?:ca\.?|cirka|totalt|ungefar|minst|max|upp\s+till)\s+/;
/** Words that may stand with a party in a piece that only names who is responsible ("skolan ansvarar"). */
const PARTY_WORDS = /^(?:ansvarar|ansvarig|ansvariga|ansvar|ansvaret|huvudansvar|part|har|genom|via|och|for|det|ar)$/;
/** A party right after these words receives something ("remiss till BUP") and is not the responsible one. */
const RECEIVING = /\btill\s*$/;
const PERFORMER_MARKERS = new Set(['med', 'av', 'hos', 'via']);

function anchored(pattern: RegExp, text: string): RegExpExecArray | null {
  return new RegExp(`^(?:${pattern.source})`).exec(text);
}

function startsWithFollowUp(folded: string): boolean {
  const first = tokens(folded)[0];
  return anchored(FOLLOW_UP, folded) !== null || (!!first && first.start === 0 && isWordOrSlip(first.word.slice(0, 11), 'uppfoljning'));
}

/** One commitment read from the text of one segment. */
export function readCommitment(segment: Segment, today: IsoDate): Commitment {
  const original = segment.text;
  const folded = fold(original);
  const head = readHead(original, folded);
  let from = head?.end ?? 0;
  if (head) from += LIGHT_VERB.exec(folded.slice(from))?.[0].length ?? 0;

  const fields = { intervention: [] as Piece[], scope: [] as Piece[], performer: [] as Piece[] };
  let responsible: CommitmentParty | null = null;
  let followUp: IsoDate | null = null;
  let bareDate: IsoDate | null = null;

  const dateIn = (start: number, end: number) => findDatePhrase(folded.slice(start, end), today)?.date ?? null;

  /** An intervention piece may carry its scope and performer inside: "familjebehandling varannan vecka med familjebehandlare Anna". */
  const readIntervention = (start: number, end: number) => {
    const words = tokens(folded.slice(start, end)).map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
    const marker = words.findIndex((t, i) => PERFORMER_MARKERS.has(t.word) && words[i + 1] && roleAt(words[i + 1]));
    const performerAt = marker >= 0 ? { marker: words[marker].start, start: words[marker + 1].start } : null;
    const found = findScope(folded.slice(0, end), start);
    const scope = found && found.start < end ? found : null;
    if (scope) fields.scope.push({ start: scope.start, end: performerAt && performerAt.marker > scope.start ? performerAt.marker : end });
    if (performerAt) fields.performer.push({ start: performerAt.start, end: scope && scope.start > performerAt.start ? scope.start : end });
    fields.intervention.push({ start, end: Math.min(end, scope?.start ?? end, performerAt?.marker ?? end) });
  };

  for (const { start, end } of splitPieces(folded, original, from)) {
    const piece = folded.slice(start, end);
    const label = (pattern: RegExp) => pattern.exec(piece)?.[0].length ?? 0;
    if (startsWithFollowUp(piece)) {
      followUp ??= dateIn(start, end);
    } else if (anchored(PERFORMER, piece)) {
      const after = anchored(PERFORMER, piece)![0].length;
      fields.performer.push({ start: start + after + /^\s*:?\s*/.exec(piece.slice(after))![0].length, end });
    } else if (RESPONSIBLE_LABEL.test(piece)) {
      const rest = piece.slice(label(RESPONSIBLE_LABEL));
      responsible ??= organisationMentions(rest)[0]?.party ?? roleMentions(rest)[0]?.party ?? null;
    } else if (/^omfattning\s*:/.test(piece)) {
      fields.scope.push({ start: start + label(FIELD_LABEL), end });
    } else if (/^(?:insats|atgard|atagande)\s*:/.test(piece)) {
      readIntervention(start + label(FIELD_LABEL), end);
    } else if (isBareDate(piece)) {
      bareDate ??= dateIn(start, end);
    } else if (findScope(piece.replace(SCOPE_PREFIX, (p) => ' '.repeat(p.length)))?.start === label(SCOPE_PREFIX)) {
      fields.scope.push({ start, end });
    } else if (isPartyOnly(piece)) {
      if (/ansvar/.test(piece)) responsible ??= organisationMentions(piece)[0]?.party ?? null;
    } else if (tokens(piece)[0] && roleAt(tokens(piece)[0])) {
      fields.performer.push({ start, end });
    } else {
      readIntervention(start, end);
    }
  }

  const text = (pieces: Piece[], strip?: RegExp) =>
    tidy(
      pieces
        .map((p) => tidy(original.slice(p.start, p.end).replace(strip ?? /$^/, '')))
        .filter((v) => v !== null)
        .join(', '),
    );
  const headPerformer = head?.performer ? tidy(original.slice(head.performer.start, head.performer.end)) : null;
  return {
    party: responsible ?? head?.party ?? firstPartyNamed(folded, from) ?? segment.heading,
    intervention: text(fields.intervention, ARTICLE),
    scope: text(fields.scope),
    performer: text(fields.performer) ?? headPerformer,
    followUpDate: followUp ?? bareDate,
  };
}

/** A piece that is a date and nothing else ("15/4", "senast 30 maj", "den 3/4"). */
function isBareDate(piece: string): boolean {
  const rest = piece.replace(DATE_PREFIX, '');
  const found = findDatePhrase(rest, '2000-01-01');
  return found !== null && found.start === 0 && /^[\s.)]*$/.test(rest.slice(found.end));
}

/** A piece that only says which party is responsible: "skolan", "soc ansvarar", "ansvarig HC". */
function isPartyOnly(piece: string): boolean {
  const words = tokens(piece);
  return words.some((t) => organisationMentions(t.word).length > 0) && words.every((t) => organisationMentions(t.word).length > 0 || PARTY_WORDS.test(t.word));
}

/** The first organisation or profession with a party named after the head, unless it receives something ("remiss till BUP"). */
function firstPartyNamed(folded: string, from: number): CommitmentParty | null {
  const mentions = [...organisationMentions(folded), ...roleMentions(folded)]
    .filter((m) => m.start >= from && m.party !== null && !RECEIVING.test(folded.slice(0, m.start)))
    .sort((a, b) => a.start - b.start);
  return mentions[0]?.party ?? null;
}
