import { DateTime } from 'luxon';
import { ZONE, type IsoDate } from '../calendar';

/**
 * Date phrases, as people write a follow-up date, resolved against `today` (Europe/Stockholm):
 * - `2026-04-15` — taken as written (also when it has passed);
 * - `15 mars`, `15:e mars`, `15 mar`, `den 15 mars 2027`, `15/3`, `den 3/4`, `15/3-26`, `15/3 2026` —
 *   without a year, the next such day on or after today (29/2 waits for the next leap year);
 * - `v. 14`, `v14`, `vecka 14` — the Monday of that ISO week, in the next year whose week of that
 *   number is today's week or later (`v. 2` in December is January's);
 * - `om två veckor`, `om 3 v`, `om 14 dagar`, `om en månad`, `om ett halvår`, and the same with
 *   `efter` or `inom` — counted from today;
 * - `nästa vecka` — next Monday; `i morgon`;
 * - weekdays (`måndag` … `fredag`, `tis`, `ons`, `tors`, `fre`, with or without `på`): a bare weekday
 *   is the next such day after today (`på torsdag` written on a Thursday is a week later);
 *   `onsdag nästa vecka`, `nästa onsdag` — that day of next week; `fredag denna vecka` / `i veckan`
 *   — that day of this week; `torsdag v. 15` — that day of the ISO week; `tisdag 14/4` — the date;
 * - `15.4` (and `15.4.2026`) like `15/4`; `den 15:e`, `den 3:e`, `den 1:a` — that day of this month,
 *   or of the next month when it has passed.
 * A day that does not exist (31/2, 2026-02-30, v. 54) gives no date, and so does everything else:
 * "efter sommarlovet", "i april", "om ett par veckor" are not turned into a guess.
 */

export interface DatePhrase {
  /** The date, or null when the phrase names a day that does not exist. */
  date: IsoDate | null;
  start: number;
  end: number;
}

const MONTHS: Array<[RegExp, number]> = [
  [/^jan(uari)?$/, 1],
  [/^feb(ruari)?$/, 2],
  [/^mar(s)?$/, 3],
  [/^apr(il)?$/, 4],
  [/^maj$/, 5],
  [/^jun(i)?$/, 6],
  [/^jul(i)?$/, 7],
  [/^aug(usti)?$/, 8],
  [/^sep(t|tember)?$/, 9],
  [/^okt(ober)?$/, 10],
  [/^nov(ember)?$/, 11],
  [/^dec(ember)?$/, 12],
];
const MONTH = 'januari|jan|februari|feb|mars|mar|april|apr|maj|juni|jun|juli|jul|augusti|aug|september|sept|sep|oktober|okt|november|nov|december|dec';

const WEEKDAYS: Array<[RegExp, number]> = [
  [/^man/, 1],
  [/^tis/, 2],
  [/^ons/, 3],
  [/^tor/, 4],
  [/^fre/, 5],
  [/^lor/, 6],
  [/^son/, 7],
];
/** Full names, and the abbreviations that are not also other words ("mån" is a month, "lör"/"sön" are rare). */
const WEEKDAY = 'mandag|tisdag|onsdag|torsdag|fredag|lordag|sondag|tis|ons|tors|tor|fre';
/** A weekday that is followed by a date of its own ("tisdag 14/4", "fredag den 3 april") gives that date instead. */
const DATE_FOLLOWS = String.raw`(?!\s*(?:den\s+)?\d{1,2}(?:[/.]\d|(?::?e|:a)?\s*(?:${MONTH})\b))`;

const NUMBER_WORDS: Record<string, number> = {
  en: 1, ett: 1, tva: 2, tre: 3, fyra: 4, fem: 5, sex: 6, sju: 7, atta: 8, nio: 9, tio: 10, elva: 11, tolv: 12,
};
const COUNT = `\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')}`;

/** Each pattern works on folded text and turns its match into a date (or null for a day that does not exist). */
const PATTERNS: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray, today: DateTime) => DateTime | null }> = [
  {
    pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g,
    resolve: (m) => DateTime.fromObject({ year: +m[1], month: +m[2], day: +m[3] }, { zone: ZONE }),
  },
  {
    pattern: new RegExp(`\\b(?:om|efter|inom)\\s+(${COUNT})\\s+(dagar|dag|d|veckor|vecka|v|veckan|manader|manad|man)\\b\\.?`, 'g'),
    resolve: (m, today) => {
      const count = NUMBER_WORDS[m[1]] ?? +m[1];
      const unit = m[2].startsWith('d') ? 'days' : m[2].startsWith('v') ? 'weeks' : 'months';
      return today.plus({ [unit]: count });
    },
  },
  {
    pattern: /\b(?:om|efter|inom)\s+ett\s+halvar\b/g,
    resolve: (_, today) => today.plus({ months: 6 }),
  },
  {
    pattern: /\bnasta\s+vecka\b/g,
    resolve: (_, today) => today.startOf('week').plus({ weeks: 1 }),
  },
  {
    // "onsdag nästa vecka", "nästa onsdag", "på fredag i veckan", "torsdag v. 15", "på tisdag"
    pattern: new RegExp(
      String.raw`(?<!\b(?:varje|var|varannan|alla|i)\s+)\b(?:(nasta|denna|den\s+har)\s+)?(?:pa\s+)?(${WEEKDAY})\b\.?${DATE_FOLLOWS}(?:\s+(?:(nasta|denna|den\s+har|i)\s+veckan?\b|(?:v|vecka)\s*\.?\s*(\d{1,2})\b))?`,
      'g',
    ),
    resolve: (m, today) => {
      const weekday = WEEKDAYS.find(([pattern]) => pattern.test(m[2]))![1];
      const which = m[1] ?? m[3];
      if (m[4]) return mondayOfWeek(+m[4], today)?.plus({ days: weekday - 1 }) ?? null;
      if (which === 'nasta') return today.startOf('week').plus({ weeks: 1, days: weekday - 1 });
      if (which) return today.startOf('week').plus({ days: weekday - 1 });
      const ahead = (weekday - today.weekday + 7) % 7 || 7;
      return today.plus({ days: ahead });
    },
  },
  {
    pattern: /\bi\s*morgon\b/g,
    resolve: (_, today) => today.plus({ days: 1 }),
  },
  {
    pattern: /\b(?:v|vecka|veckan|vecko)\s*\.?\s*(\d{1,2})\b/g,
    resolve: (m, today) => mondayOfWeek(+m[1], today),
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?::?e|:a)?\\s*(${MONTH})\\b\\.?(?:\\s+(\\d{4})\\b)?`, 'g'),
    resolve: (m, today) => dayOfMonth(+m[1], monthNumber(m[2]), m[3] ? +m[3] : undefined, today),
  },
  {
    // "15.4", "15.4.2026" — not a time ("kl 13.30") nor an amount ("1.5 h")
    pattern: /(?<!\bkl\.?\s*|[\d.,])\b(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])(?:\.(\d{4}|\d{2}))?\b(?![.,]?\d|\s*(?:h|tim|timmar|min|ggr|g|%|dagar|dgr|veckor|v)\b)/g,
    resolve: (m, today) => dayOfMonth(+m[1], +m[2], m[3] ? fullYear(m[3]) : undefined, today),
  },
  {
    // "den 15:e", "den 1:a" — this month, or the next when it has passed
    pattern: new RegExp(String.raw`\b(?:den\s+)?(\d{1,2}):(?:e|a)\b(?!\s*(?:${MONTH})\b)`, 'g'),
    resolve: (m, today) => dayInComingMonth(+m[1], today),
  },
  {
    pattern: /\b(\d{1,2})\/(\d{1,2})(?:(?:\/|\s*-\s*|\s+)(\d{4}|\d{2})\b)?/g,
    resolve: (m, today) => dayOfMonth(+m[1], +m[2], m[3] ? fullYear(m[3]) : undefined, today),
  },
];

function monthNumber(name: string): number {
  return MONTHS.find(([pattern]) => pattern.test(name))![1];
}

function fullYear(digits: string): number {
  return digits.length === 2 ? 2000 + +digits : +digits;
}

function dayOfMonth(day: number, month: number, year: number | undefined, today: DateTime): DateTime | null {
  if (year !== undefined) return DateTime.fromObject({ year, month, day }, { zone: ZONE });
  for (let y = today.year; y <= today.year + 8; y++) {
    const date = DateTime.fromObject({ year: y, month, day }, { zone: ZONE });
    if (date.isValid && date >= today) return date;
  }
  return null;
}

function dayInComingMonth(day: number, today: DateTime): DateTime | null {
  for (let ahead = 0; ahead <= 2; ahead++) {
    const month = today.startOf('month').plus({ months: ahead });
    const date = DateTime.fromObject({ year: month.year, month: month.month, day }, { zone: ZONE });
    if (date.isValid && date >= today) return date;
  }
  return null;
}

function mondayOfWeek(week: number, today: DateTime): DateTime | null {
  const thisWeek = today.startOf('week');
  for (let year = today.weekYear; year <= today.weekYear + 6; year++) {
    const monday = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: ZONE });
    if (monday.isValid && monday.weekNumber === week && monday >= thisWeek) return monday;
  }
  return null;
}

/** The first date phrase in a folded text, or null when there is none. */
export function findDatePhrase(folded: string, today: IsoDate): DatePhrase | null {
  const base = DateTime.fromISO(today, { zone: ZONE }).startOf('day');
  let first: DatePhrase | null = null;
  for (const { pattern, resolve } of PATTERNS) {
    pattern.lastIndex = 0;
    const m = pattern.exec(folded);
    if (!m || (first && first.start <= m.index)) continue;
    const date = resolve(m, base);
    first = { date: date?.isValid ? date.toISODate() : null, start: m.index, end: m.index + m[0].length };
  }
  return first;
}
