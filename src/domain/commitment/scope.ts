/**
 * How much of an intervention there is: frequency ("2 h/vecka", "varannan vecka", "en gång i
 * veckan", "dagligen"), amount ("4 träffar", "10 samtal") and period ("under vårterminen", "vt 26",
 * "i 6 veckor", "fr.o.m. v. 12", "terminen ut"). The patterns only recognise where a scope starts;
 * the reader decides how far it reaches.
 */

const NUMBER = String.raw`(?:\d+(?:[,.]\d+)?(?:\s*[-–]\s*\d+)?|en|ett|tva|tre|fyra|fem|sex|sju|atta|nio|tio|elva|tolv|femton|tjugo|ett\s+par|nagra)`;
/** A number that can count things on its own ("ett samtal" is an intervention, "tre samtal" a scope). */
const COUNT = String.raw`(?:\d+(?:[,.]\d+)?(?:\s*[-–]\s*\d+)?|tva|tre|fyra|fem|sex|sju|atta|nio|tio|elva|tolv|femton|tjugo|ett\s+par|nagra)`;
const PER_UNIT = String.raw`(?:x|ggr|gang|ganger|g|tim|timmar|timme|h|t|min|minuter|dagar|dag|dgr|d|pass|lektioner|lektion|tillfallen|tillfalle|traffar|traff|samtal|besok|helg|helger|eftermiddagar|eftermiddag|formiddagar|formiddag|kvallar|kvall|morgnar|morgon)`;
const COUNTED = String.raw`(?:tillfallen|tillfalle|traffar|traff|samtal|ggr|ganger|lektioner|pass|besok|hembesok|sessioner|moten|timmar|tim|h|veckor|manader|dagar|dgr|veckotimmar|kvallar|eftermiddagar|formiddagar|morgnar|min|minuter|helger)`;
const PERIOD = String.raw`(?:veckan|vecka|v|dagen|dag|d|manaden|manad|man|terminen|termin|lasaret|ar|lektion)`;
const WHEN = String.raw`(?:dag|vecka|v|helg|manad|termin|morgon|kvall|lektion|rast|mandag|tisdag|onsdag|torsdag|fredag|skoldag|arbetsdag|lov)`;
const TERM = String.raw`(?:varterminen|hostterminen|terminen|lasaret|varen|hosten|sommaren|sommarlovet|jullovet|lovet|vt|ht)`;
const MONTH = String.raw`(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)`;
const DATEISH = String.raw`(?=\d|v\b|v\.|vecka|jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec|sommar|pask|hostlov|sportlov|termins|skolstart|lasarets)`;

const SCOPE_PATTERNS: RegExp[] = [
  // rate: 2 h/vecka, 3 dagar/vecka, 1 ggr/v, en gång i veckan, 30 min per dag, 2x/v
  new RegExp(String.raw`\b${NUMBER}\s*${PER_UNIT}\s*(?:\/|per\b|i\b|om\b|varje\b)\s*${PERIOD}\b`),
  // amount: 4 träffar, 10 samtal, 6 veckor, 20 timmar, vid ett hembesök; en gång
  new RegExp(String.raw`\b(?:vid\s+)?${COUNT}\s*${COUNTED}\b`),
  new RegExp(String.raw`\bvid\s+(?:en|ett)\s+${COUNTED}\b`),
  /\b(?:en|1)\s+gang\b/,
  // frequency: varannan vecka, varje måndag, var tredje vecka, var 14:e dag
  new RegExp(String.raw`\b(?:varannan|varje|var|vart)\s+(?:annan\s+|tredje\s+|fjarde\s+|\d+:?e\s+)?${WHEN}\b`),
  /\b(?:pa\s+)?(?:dagligen|veckovis|manadsvis|lopande|vid\s+behov|heltid|halvtid|deltid|tills\s*vidare)\b/,
  /\b\d+\s*%/,
  /\b(?:pa\s+|alla\s+)?(?:mandagar|tisdagar|onsdagar|torsdagar|fredagar|morgnar|eftermiddagar|kvallar)\b/,
  // period: under vårterminen, i 6 veckor, under april, efter sommarlovet, resten av terminen, läsåret ut, vt 26, fr.o.m. v. 12, t.o.m. juni
  new RegExp(String.raw`\b(?:under|i|inom)\s+(?:${NUMBER}\s+(?:veckor|manader|dagar|terminer|ar)|(?:hela\s+|resten\s+av\s+)?${TERM}|${MONTH})\b`),
  /\bunder\s+(?:tiden|utredningstiden|utredningen|vantetiden)\b/,
  /\befter\s+(?:sommarlovet|jullovet|sportlovet|pasklovet|hostlovet|lovet|jul|nyar|pask)\b/,
  /\b(?:resten\s+av|hela)\s+(?:terminen|varterminen|hostterminen|lasaret|varen|hosten)\b/,
  /\b(?:terminen|lasaret|varterminen|hostterminen)\s+ut\b/,
  /\b(?:vt|ht)(?:\s*-?\s*\d{2,4})?\b/,
  new RegExp(
    String.raw`(?:\bfr\.?\s*o\.?\s*m\.?|\bt\.?\s*o\.?\s*m\.?|\bfran\s+och\s+med|\btill\s+och\s+med|\bfram\s+till|\bmed\s+start|\bstartar|\bstart|\bfran|\btill|\btills)\s*${DATEISH}`,
  ),
];

/** Where the first scope phrase in a folded text starts and its recognised part ends, at or after `from`. */
export function findScope(folded: string, from = 0): { start: number; end: number } | null {
  const rest = folded.slice(from);
  let first: { start: number; end: number } | null = null;
  for (const pattern of SCOPE_PATTERNS) {
    const m = pattern.exec(rest);
    if (m && (!first || m.index + from < first.start)) first = { start: m.index + from, end: m.index + from + m[0].length };
  }
  return first;
}
