import type { IsoDate } from '../calendar';
import { findDatePhrase } from './dates';
import { readHead } from './head';
import { organisationMentions, organisationOf, type CommitmentParty } from './parties';
import { roleAt, roleMentions } from './roles';
import { findScope } from './scope';
import { FOLLOW_UP, PERFORMER, splitPieces, WEAK_FOLLOW_UP, type Piece, type Segment } from './split';
import { fold, isWordOrSlip, tidy, tokens, type Token } from './text';

export interface Commitment {
  party: CommitmentParty | null;
  intervention: string | null;
  scope: string | null;
  performer: string | null;
  followUpDate: IsoDate | null;
}

/**
 * Verbs between the party and the intervention that say nothing of their own ("Skolan ansvarar
 * för …", "HC gör en …", "Soc ska erbjuda …"); they are dropped with a following "att", and with
 * the one who receives the intervention ("erbjuder eleven …", "ansvarar för att familjen får …").
 * Any other verb is part of the intervention ("Skolan ser över schemat").
 */
const RECIPIENT = String.raw`(?:eleven|elev|hen|henne|honom|barnet|flickan|pojken|ungdomen|familjen|mamma|mamman|pappa|pappan|vardnadshavarna|vardnadshavaren|vardnadshavare|foraldrarna|dem)`;
const LIGHT_VERB = new RegExp(
  String.raw`^\s*(?:ska\s+|kommer\s+att\s+)?(?:ans?vara(?:r)?(?:\s+for)?|ar\s+ansvarig(?:a)?\s+for|ansvarig\s+for|har\s+(?:huvud)?ansvar(?:et)?\s+for|tar\s+ansvar(?:et)?\s+for|sta(?:r)?\s+for|gor|gora|ordna(?:r)?|erbjud(?:er|a)|ger|ge|genomfor(?:a)?|hall(?:er|a)\s+i|skot(?:er|a)|starta(?:r)?|paborja(?:r)?|fortsatt(?:er|a)(?:\s+med)?|har|ha|bidra(?:r)?\s+med|satt(?:er|a)\s+in|tillhandahaller)\b\s*(?:att\s+)?(?:${RECIPIENT}\s+(?:far\s+|ska\s+fa\s+|att\s+)?)?`,
);
const ARTICLE = /^(?:en|ett)\s+/i;
const RESPONSIBLE_LABEL = /^(?:ansvarig(?:\s+part)?|ansvar|part)\s*:\s*/;
const FIELD_LABEL = /^(?:insats|atgard|atagande|omfattning|datum)\s*:\s*/;
const DATE_PREFIX = /^(?:(?:den|datum|senast|klart?|fardigt?|beslut|svar|deadline|till|innan|fore|pa)\b\s*:?\s*)+/;
/** Words that belong to the scope that follows them: "ca 2 h/v", "totalt 8 träffar". */
const SCOPE_PREFIX_BEFORE = /\b(?:ca\.?|cirka|totalt|ungefar|minst|max|upp\s+till)\s+$/;
/** Words that may stand with a party in a piece that only names who is responsible ("skolan ansvarar"). */
const PARTY_WORDS = /^(?:ansvarar|ansvarig|ansvariga|ansvar|ansvaret|huvudansvar|part|har|genom|via|och|for|det|ar)$/;
/** Pieces of only these words carry nothing ("Insatsen följs upp …", "Vi stämmer av …", "som görs av …"). */
const FILLER = /^(?:vi|som|och|detta|det|den|vilket|insatsen|insatserna|utredningen|behandlingen|planen|arbetet|allt|ska|skall|vara|bli|kommer|att|man|hon|han|hen|de)$/;
/** Words that continue a scope ("3 dagar/vecka i liten grupp", "varannan vecka under våren", "dagligen 20 min"). */
const SCOPE_GOES_ON = /^(?:\d.*|i|pa|under|med|efter|utom|fram|till|per|varje|var|varannan|och|samt|eller|fr|from|t|tom|start|resten|hela|alla|vid|inom|om|ca|v|vecka|veckan|tills|ut|jan.*|feb.*|mar.*|apr.*|maj|jun.*|jul.*|aug.*|sep.*|okt.*|nov.*|dec.*)$/;
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

function isFiller(folded: string): boolean {
  return tokens(folded).every((t) => FILLER.test(t.word));
}

/** A profession that can be a performer on its own (not "kontaktperson", which is also an intervention). */
function performerRole(t: Token | undefined): boolean {
  const role = t && roleAt(t);
  return !!role && !role.alsoIntervention;
}

/**
 * "Ingen insats från oss", "inget mer från HC", "vi har inga insatser just nu", "BUP – inget mer från
 * vår sida": the party states that it has no (further) intervention (SIP, 2013).
 */
const NOTHING_FURTHER = new RegExp(
  String.raw`^\s*(?:(?:vi|de)\s+)?(?:(?:har|gor|ger|erbjuder|planerar|ska|kommer|att|ha|gora|ge|gor)\s+)*(?:(?:just\s+nu|i\s+nulaget|i\s+dagslaget|for\s+narvarande|tyvarr)\s+)?(?:ingen|inga|inget|ingenting|inte\s+(?:nagon|nagra|nagot))\s+(?:(?:ny|nya|mer|fler|ytterligare|egen|egna|aktuell|aktuella|planerad|planerade|annan|andra)\s+)*(?:insats|insatser|atgard|atgarder|atagande|ataganden|mer|fler|ytterligare)\b`,
);
const WRITER = /\b(?:oss|vi|var|vart|vara)\b/;

/** The party that says it has nothing further, when the segment says so; null when it is a commitment. */
function nothingFurtherOf(segment: Segment): Array<CommitmentParty | 'writer'> | null {
  const original = segment.text;
  const folded = fold(original);
  const head = readHead(original, folded);
  const rest = folded.slice(head?.end ?? 0);
  const m = NOTHING_FURTHER.exec(rest);
  if (!m) return null;
  const after = rest.slice(m[0].length);
  if (head && head.parties.length > 0) return head.parties;
  const named = organisationMentions(after)[0]?.party ?? roleMentions(after).find((r) => r.party)?.party;
  if (named) return [named];
  if (WRITER.test(rest) || !segment.heading) return ['writer'];
  return [segment.heading];
}

/** The commitments of one segment (one per party when several share it), or the parties that have nothing further. */
export function readSegment(segment: Segment, today: IsoDate): { commitments: Commitment[]; nothingFurther: Array<CommitmentParty | 'writer'> } {
  const nothing = nothingFurtherOf(segment);
  if (nothing) return { commitments: [], nothingFurther: nothing };
  const { commitment, shared } = readOne(segment, today);
  const parties = shared.length > 1 && commitment.party === shared[0] ? shared : [commitment.party];
  return { commitments: parties.map((party) => ({ ...commitment, party })), nothingFurther: [] };
}

/** One commitment read from the text of one segment (the first party of a shared one). */
export function readCommitment(segment: Segment, today: IsoDate): Commitment {
  return readOne(segment, today).commitment;
}

function readOne(segment: Segment, today: IsoDate): { commitment: Commitment; shared: CommitmentParty[] } {
  const original = segment.text;
  const folded = fold(original);
  const head = readHead(original, folded);
  let headPerformer = head?.performer ?? null;
  let from = head?.end ?? 0;
  if (head) {
    from += LIGHT_VERB.exec(folded.slice(from))?.[0].length ?? 0;
    // "Elevhälsan ansvarar för att kurator har …": the profession after the verb performs it.
    const inner = readHead(original.slice(from), folded.slice(from));
    const verb = inner?.performer?.start === 0 ? LIGHT_VERB.exec(folded.slice(from + inner.end)) : null;
    if (inner?.performer && verb) {
      headPerformer = { start: from + inner.performer.start, end: from + inner.performer.end };
      from += inner.end + verb[0].length;
    }
  }

  const fields = { intervention: [] as Piece[], scope: [] as Piece[], performer: [] as Piece[] };
  let responsible: CommitmentParty | null = null;
  let followUp: IsoDate | null = null;
  let bareDate: IsoDate | null = null;

  const dateIn = (start: number, end: number) => findDatePhrase(folded.slice(start, end), today)?.date ?? null;
  const wordsIn = (start: number, end: number) =>
    tokens(folded.slice(start, end)).map((t) => ({ ...t, start: t.start + start, end: t.end + start }));

  /**
   * A piece that may carry intervention, scope and performer in that order or mixed:
   * "familjebehandling varannan vecka med familjebehandlare Anna", "2 h/v extra stöd i svenska",
   * "4 träffar familjebehandlare", "Remiss till BUP skrivs av distriktsläkare".
   */
  const readSpan = (start: number, end: number) => {
    const words = wordsIn(start, end);
    const found = findScope(folded.slice(0, end), start);
    const scope = found && found.start < end ? found : null;
    if (scope) scope.start -= SCOPE_PREFIX_BEFORE.exec(folded.slice(start, scope.start))?.[0].length ?? 0;
    let performer: { marker: number; start: number } | null = null;
    for (let i = 0; i < words.length && !performer; i++) {
      const t = words[i];
      const unit = t.word === 'via' ? viaUnit(words, i + 1) : null;
      if (unit !== null) performer = { marker: t.start, start: unit };
      else if (PERFORMER_MARKERS.has(t.word) && words[i + 1] && roleAt(words[i + 1])) {
        const passive = t.word === 'av' && i > 0 && /s$/.test(words[i - 1].word) ? words[i - 1].start : t.start;
        performer = { marker: passive, start: words[i + 1].start };
      } else if (scope && t.start >= scope.end && performerRole(t)) performer = { marker: t.start, start: t.start };
    }
    const performerAfterScope = performer && scope && performer.marker > scope.start ? performer.marker : end;
    const interventionEnd = Math.min(end, scope?.start ?? end, performer?.marker ?? end);
    fields.intervention.push({ start, end: interventionEnd });
    if (scope) {
      const next = words.find((t) => t.start >= scope.end && t.start < performerAfterScope);
      if (next && !SCOPE_GOES_ON.test(next.word)) {
        fields.scope.push({ start: scope.start, end: scope.end });
        fields.intervention.push({ start: next.start, end: performerAfterScope });
      } else fields.scope.push({ start: scope.start, end: performerAfterScope });
    }
    if (performer) fields.performer.push({ start: performer.start, end: scope && scope.start > performer.start ? scope.start : end });
  };

  /** "familjebehandlare Anna håller i det": the profession and the names after it; the rest is read as usual. */
  const readRolePiece = (start: number, end: number) => {
    const words = wordsIn(start, end);
    const joiner = (t: Token) => /^(?:och|pa|vid|fran)$/.test(t.word);
    const named = (t: Token) => roleAt(t) !== null || /^\p{Lu}/u.test(original.slice(t.start, t.end));
    let last = 0;
    while (words[last + 1] && (named(words[last + 1]) || joiner(words[last + 1]))) last++;
    while (last > 0 && joiner(words[last])) last--;
    // "kurator på skolan"
    if (words[last + 1] && joiner(words[last]) && organisationMentions(words[last + 1].word).length) last++;
    fields.performer.push({ start, end: words[last].end });
    const restStart = words[last + 1]?.start ?? end;
    const rest = restStart + (LIGHT_VERB.exec(folded.slice(restStart, end))?.[0].length ?? 0);
    if (!isFiller(folded.slice(rest, end))) readSpan(rest, end);
  };

  for (const found of splitPieces(folded, original, from)) {
    const end = found.end;
    const start = found.start + (/^(?:och|samt)\s+/.exec(folded.slice(found.start, end))?.[0].length ?? 0);
    const piece = folded.slice(start, end);
    const label = (pattern: RegExp) => pattern.exec(piece)?.[0].length ?? 0;
    const performerTrigger = anchored(PERFORMER, piece);
    const weakFollowUp = anchored(WEAK_FOLLOW_UP, piece);
    if (isFiller(piece)) continue;
    if (startsWithFollowUp(piece) && !(/^uppfoljning\s+av\s+(?!(?:insatsen|insatserna|planen|detta|det|arbetet|atgarderna)\b)/.test(piece) && !dateIn(start, end))) {
      followUp ??= dateIn(start, end);
    } else if (weakFollowUp && dateIn(start, end)) {
      // "HC följer upp vikten om en månad": the follow-up is also what is done, unless something else is.
      followUp ??= dateIn(start, end);
      if (fields.intervention.length === 0) fields.intervention.push({ start, end: start + findDatePhrase(piece, today)!.start });
    } else if (performerTrigger) {
      const after = start + performerTrigger[0].length + /^\s*:?\s*/.exec(piece.slice(performerTrigger[0].length))![0].length;
      const scope = findScope(folded.slice(0, end), after);
      fields.performer.push({ start: after, end: scope?.start ?? end });
      if (scope) fields.scope.push({ start: scope.start, end });
    } else if (RESPONSIBLE_LABEL.test(piece)) {
      const rest = piece.slice(label(RESPONSIBLE_LABEL));
      responsible ??= organisationMentions(rest)[0]?.party ?? roleMentions(rest)[0]?.party ?? null;
    } else if (/^omfattning\s*:/.test(piece)) {
      fields.scope.push({ start: start + label(FIELD_LABEL), end });
    } else if (/^(?:insats|atgard|atagande)\s*:/.test(piece)) {
      readSpan(start + label(FIELD_LABEL), end);
    } else if (isBareDate(piece)) {
      bareDate ??= dateIn(start, end);
    } else if (isPartyOnly(piece)) {
      if (/ansvar/.test(piece)) responsible ??= organisationMentions(piece)[0]?.party ?? roleMentions(piece)[0]?.party ?? null;
    } else if (performerRole(tokens(piece)[0])) {
      readRolePiece(start, end);
    } else {
      readSpan(start, end);
    }
  }

  const text = (pieces: Piece[], strip?: RegExp) =>
    tidy(
      pieces
        .map((p) => tidy(original.slice(p.start, p.end).replace(strip ?? /$^/, '')))
        .filter((v, i, all) => v !== null && all.findIndex((w) => w?.toLowerCase() === v.toLowerCase()) === i)
        .join(', '),
    );
  const commitment: Commitment = {
    party: responsible ?? head?.party ?? firstPartyNamed(folded, from) ?? segment.heading,
    intervention: text(fields.intervention, ARTICLE),
    scope: text(fields.scope),
    performer: text(fields.performer) ?? (headPerformer ? tidy(original.slice(headPerformer.start, headPerformer.end)) : null),
    followUpDate: followUp ?? bareDate,
  };
  return { commitment, shared: responsible ? [] : (head?.parties ?? []) };
}

/** "via kommunens öppenvård", "via öppenvården": the unit that carries it out, where it starts. */
function viaUnit(words: Token[], i: number): number | null {
  const first = words[i];
  if (!first) return null;
  if (organisationOf(first.word)) return first.start;
  const second = words[i + 1];
  return /s$/.test(first.word) && second && organisationOf(second.word) ? first.start : null;
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
  const named = (t: Token) => organisationMentions(t.word).length > 0;
  return (
    (words.some(named) || /ansvar/.test(piece)) &&
    words.some((t) => named(t) || roleAt(t)?.party) &&
    words.every((t) => named(t) || roleAt(t) || PARTY_WORDS.test(t.word))
  );
}

/** The first organisation or profession with a party named after the head, unless it receives something ("remiss till BUP"). */
function firstPartyNamed(folded: string, from: number): CommitmentParty | null {
  const mentions = [...organisationMentions(folded), ...roleMentions(folded)]
    .filter((m) => m.start >= from && m.party !== null && !RECEIVING.test(folded.slice(0, m.start)))
    .sort((a, b) => a.start - b.start);
  return mentions[0]?.party ?? null;
}
