import { workingDaysBetween, type IsoDate } from './calendar';
import { ageBand as ageBandLabel, GENDERS, SUMMONABLE_PARTIES, type Gender, type MeetingState, type SummonableParty } from './meeting';
import type { Municipality } from './municipality';
import type { Participation } from './plan';

/**
 * The yearly follow-up indicators (uppföljning) of Norrbus, computed from plain records. Pure: the
 * records are read by `src/stats/load.ts`; small counts are hidden by `suppress` in the output layer
 * (`src/stats/`), so the figures here are exact and testable.
 */

export const AGE_BANDS = ['0–5', '6–12', '13–15', '16–18', '19–20'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
/** The three parties that must all take part for a "complete" Norrbusmöte. */
export const CORE_PARTIES: readonly SummonableParty[] = ['skola', 'socialtjanst', 'primarvard'];
export const COUNTY = 'Norrbotten' as const;

/** The follow-up's age band of an age (the bands of the cards, `ageBand` in the meeting domain). */
export function ageBandOf(age: number): AgeBand {
  const band = ageBandLabel(age);
  if (!(AGE_BANDS as readonly string[]).includes(band)) throw new RangeError(`no age band for ${age}`);
  return band as AgeBand;
}

/** How a summoned party answered: attending, proposing another time, or cannot attend. */
export const ANSWER_KINDS = ['attend', 'propose', 'decline'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

/**
 * One Norrbusmöte as the follow-up sees it. Only what the indicators need: no free text, no names, no
 * case reference, no exact age (the age band), and of the ids only the meeting's own (which links its
 * commitments and deviations, and tells a live meeting from its erased statistics).
 */
export interface MeetingRecord {
  id: string;
  municipality: Municipality;
  convener: SummonableParty;
  summoned: SummonableParty[];
  gender: Gender;
  ageBand: AgeBand;
  consentDate: IsoDate;
  /** The day the summons went out (the first summons posted, else the day the meeting was created). */
  summonsDate: IsoDate;
  /** The fixed meeting day, or null when no time is fixed. */
  meetingDate: IsoDate | null;
  state: MeetingState;
  /** Whether this meeting follows up an earlier one (uppföljande möte). */
  followsUp: boolean;
  /** Per summoned party that has answered: the kind of its (last) answer and working days from the summons to it. */
  answers: Partial<Record<SummonableParty, { kind: AnswerKind; workingDays: number }>>;
  /** "Mötet hölls": who took part, the young person's and the guardians' part (yes/no only); absent when not recorded. */
  participation?: Participation;
}

export interface CommitmentRecord {
  meetingId: string;
  party: SummonableParty;
  followUpDate: IsoDate | null;
  status: 'planned' | 'started' | 'done' | 'withdrawn';
  outcome?: 'done' | 'ongoing' | 'notDone';
  /** When it was done (approximated by the last update when the status or outcome is done), else null. */
  doneDate: IsoDate | null;
}

export interface DeviationRecord {
  municipality: Municipality;
  meetingId?: string;
  kind: string;
  party: SummonableParty | null;
  /** Whether the concerned party analysed it by its analysis due date; null when not known (yet). */
  analysedInTime: boolean | null;
}

/** The deviation kinds always listed (with 0), in this order; other kinds found are added after. */
export const DEVIATION_KINDS = [
  'summonsNotAnswered',
  'didNotTakePart',
  'meetingNotInTime',
  'commitmentNotDone',
  'followUpNotConvened',
  'summonsNotSent',
  'healthExaminationNotDone',
  'costSharingNotSettled',
  'other',
] as const;
export type DeviationKind = (typeof DEVIATION_KINDS)[number];

/**
 * A deviation as a case's statistics keep it once the deviation itself is erased. It keeps the dates
 * that decide "analysed in time" rather than the verdict, because the verdict depends on the report
 * date (`deviationRecordOf`): a report run after erasure gives what the untouched deviation would give.
 */
export interface CaseDeviationRecord {
  /** The year (Europe/Stockholm) the deviation was recorded in: the year whose follow-up counts it. */
  year: number;
  municipality: Municipality;
  /** The case's meeting id when the deviation was linked to the meeting; absent when it was not. */
  meetingId?: string;
  kind: DeviationKind;
  party: SummonableParty | null;
  analysisDue: IsoDate | null;
  /** The Stockholm day the analysis was recorded, or null when it was not. */
  analysedOn: IsoDate | null;
}

/**
 * What one case (a Norrbusmöte) leaves for the yearly follow-up when its details are erased: its
 * meeting record, its commitments' records and its deviations' records, and nothing else. The
 * indicators of any year compute from these alone, so a case counts the same before and after erasure.
 */
export interface CaseStatistics {
  meeting: MeetingRecord;
  /** Every commitment of the meeting, withdrawn ones included (the indicators leave those out). */
  commitments: CommitmentRecord[];
  deviations: CaseDeviationRecord[];
}

/** What one case's statistics add to one year's follow-up. */
export interface CaseYear {
  meetingId: string;
  /** The meeting and its commitments when its consent date falls in the year, else null and []. */
  meeting: MeetingRecord | null;
  commitments: CommitmentRecord[];
  /** Its deviations recorded in the year. */
  deviations: CaseDeviationRecord[];
}

/** The part of a case's statistics that counts in `year` (meetings by consent date, deviations by their own year). */
export function caseInYear(stats: CaseStatistics, year: number): CaseYear {
  const counts = stats.meeting.consentDate.startsWith(`${year}-`);
  return {
    meetingId: stats.meeting.id,
    meeting: counts ? stats.meeting : null,
    commitments: counts ? stats.commitments : [],
    deviations: stats.deviations.filter((d) => d.year === year),
  };
}

/**
 * A kept deviation as the indicators read it on the report date `asOf`. Analysed in time: analysed
 * on or before its analysis due date; not analysed and the due date passed: false; otherwise (no due
 * date, or still time left) unknown.
 */
export function deviationRecordOf(d: CaseDeviationRecord, asOf: IsoDate): DeviationRecord {
  let analysedInTime: boolean | null = null;
  if (d.analysisDue) {
    if (d.analysedOn) analysedInTime = d.analysedOn <= d.analysisDue;
    else if (d.analysisDue < asOf) analysedInTime = false;
  }
  return { municipality: d.municipality, meetingId: d.meetingId, kind: d.kind, party: d.party, analysedInTime };
}

export interface YearData {
  year: number;
  /** The report date: a fixed meeting counts as held once its day is on or before it. */
  asOf: IsoDate;
  meetings: MeetingRecord[];
  commitments: CommitmentRecord[];
  deviations: DeviationRecord[];
}

/** An exact figure: a count, a share (numerator of denominator) or a median over n values. */
export type Metric =
  | { kind: 'count'; value: number }
  | { kind: 'share'; numerator: number; denominator: number }
  | { kind: 'median'; value: number | null; n: number };

/** One group's indicators, by indicator id (`meetings.initiated`, `answers.skola.rate`, …), in a fixed order. */
export type Figures = Record<string, Metric>;

export type GroupKey = 'alla' | `kön:${Gender}` | `ålder:${AgeBand}`;
export const GROUPS: readonly GroupKey[] = ['alla', ...GENDERS.map((g) => `kön:${g}` as const), ...AGE_BANDS.map((a) => `ålder:${a}` as const)];

export interface ScopeIndicators {
  /** A municipality, or `Norrbotten` for the county. */
  scope: Municipality | typeof COUNTY;
  groups: Record<GroupKey, Figures>;
}

export interface YearIndicators {
  year: number;
  asOf: IsoDate;
  /** The county first (when more than one municipality is reported), then each municipality. */
  scopes: ScopeIndicators[];
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const count = (value: number): Metric => ({ kind: 'count', value });
const share = (numerator: number, denominator: number): Metric => ({ kind: 'share', numerator, denominator });
const med = (values: number[]): Metric => ({ kind: 'median', value: median(values), n: values.length });

export function inGroup(meeting: Pick<MeetingRecord, 'gender' | 'ageBand'>, group: GroupKey): boolean {
  if (group === 'alla') return true;
  if (group.startsWith('kön:')) return meeting.gender === group.slice(4);
  return meeting.ageBand === group.slice(6);
}

/** All parties involved in a meeting: the convener and those summoned. */
export function involvedParties(meeting: Pick<MeetingRecord, 'convener' | 'summoned'>): Set<SummonableParty> {
  return new Set<SummonableParty>([meeting.convener, ...meeting.summoned]);
}

function isHeld(meeting: MeetingRecord, asOf: IsoDate): boolean {
  return meeting.state === 'fixed' && meeting.meetingDate !== null && meeting.meetingDate <= asOf;
}

/** The figures for one set of meetings (already restricted to one scope and group) and their records. */
export function computeFigures(meetings: MeetingRecord[], commitments: CommitmentRecord[], deviations: DeviationRecord[], asOf: IsoDate): Figures {
  const f: Figures = {};
  f['meetings.initiated'] = count(meetings.length);
  f['meetings.held'] = count(meetings.filter((m) => isHeld(m, asOf)).length);
  f['meetings.planned'] = count(meetings.filter((m) => m.state === 'fixed' && !isHeld(m, asOf)).length);
  f['meetings.cancelled'] = count(meetings.filter((m) => m.state === 'cancelled').length);
  for (const p of SUMMONABLE_PARTIES) f[`meetings.byConvener.${p}`] = count(meetings.filter((m) => m.convener === p).length);
  f['meetings.followUpHeld'] = count(meetings.filter((m) => m.followsUp && isHeld(m, asOf)).length);

  // Delaktighet (2025): of the meetings whose participation was recorded at the meeting.
  const recorded = meetings.filter((m) => m.state !== 'cancelled' && m.participation);
  const took = (m: MeetingRecord) => m.participation!;
  f['participation.recorded'] = count(recorded.length);
  f['participation.allParties'] = share(recorded.filter((m) => [...involvedParties(m)].every((p) => took(m).parties.includes(p))).length, recorded.length);
  f['participation.youngPerson'] = share(recorded.filter((m) => took(m).youngPerson).length, recorded.length);
  const withGuardians = recorded.filter((m) => took(m).guardians.length > 0);
  f['participation.guardian'] = share(withGuardians.filter((m) => took(m).guardians.some(Boolean)).length, withGuardians.length);
  f['participation.viewRecorded'] = share(recorded.filter((m) => took(m).viewRecorded).length, recorded.length);

  const complete = meetings.filter((m) => CORE_PARTIES.every((p) => involvedParties(m).has(p))).length;
  f['meetings.allThreeParties'] = share(complete, meetings.length);

  const toSummons = meetings.map((m) => workingDaysBetween(m.consentDate, m.summonsDate));
  f['consentToSummons.median'] = med(toSummons);
  f['consentToSummons.within5'] = share(toSummons.filter((d) => d <= 5).length, toSummons.length);
  f['consentToSummons.within10'] = share(toSummons.filter((d) => d <= 10).length, toSummons.length);
  const toMeeting = meetings.filter((m) => m.state !== 'cancelled' && m.meetingDate !== null).map((m) => workingDaysBetween(m.summonsDate, m.meetingDate!));
  f['summonsToMeeting.median'] = med(toMeeting);
  f['summonsToMeeting.within5'] = share(toMeeting.filter((d) => d <= 5).length, toMeeting.length);
  f['summonsToMeeting.within10'] = share(toMeeting.filter((d) => d <= 10).length, toMeeting.length);

  for (const p of SUMMONABLE_PARTIES) {
    const summoned = meetings.filter((m) => m.summoned.includes(p));
    const days = summoned.flatMap((m) => (m.answers[p] ? [m.answers[p]!.workingDays] : []));
    f[`answers.${p}.summoned`] = count(summoned.length);
    f[`answers.${p}.rate`] = share(days.length, summoned.length);
    f[`answers.${p}.medianDays`] = med(days);
  }

  const ids = new Set(meetings.map((m) => m.id));
  const own = commitments.filter((c) => ids.has(c.meetingId) && c.status !== 'withdrawn');
  const onTime = (list: CommitmentRecord[]) => {
    const due = list.filter((c) => c.followUpDate !== null && c.followUpDate <= asOf);
    return share(due.filter((c) => c.doneDate !== null && c.doneDate <= c.followUpDate!).length, due.length);
  };
  f['commitments.total'] = count(own.length);
  f['commitments.doneOnTime'] = onTime(own);
  for (const p of SUMMONABLE_PARTIES) {
    const mine = own.filter((c) => c.party === p);
    f[`commitments.${p}.count`] = count(mine.length);
    f[`commitments.${p}.doneOnTime`] = onTime(mine);
  }

  f['deviations.total'] = count(deviations.length);
  const kinds = [...DEVIATION_KINDS, ...[...new Set(deviations.map((d) => d.kind))].filter((k) => !(DEVIATION_KINDS as readonly string[]).includes(k)).sort()];
  for (const k of kinds) f[`deviations.kind.${k}`] = count(deviations.filter((d) => d.kind === k).length);
  for (const p of SUMMONABLE_PARTIES) f[`deviations.party.${p}`] = count(deviations.filter((d) => d.party === p).length);
  const known = deviations.filter((d) => d.analysedInTime !== null);
  f['deviations.analysedInTime'] = share(known.filter((d) => d.analysedInTime).length, known.length);
  return f;
}

/**
 * The indicators of one year: meetings whose consent date falls in the year, per municipality and
 * (when data from more than one municipality is given, or `county` is set) for the county, each for
 * all meetings and broken down by gender and age band. Commitments count with their meeting;
 * deviations count with their municipality, and in a gender or age group only through the meeting
 * they concern (a deviation about routines in general is only in "alla").
 */
export function computeYear(data: YearData, options: { municipalities: Municipality[]; county: boolean }): YearIndicators {
  const meetings = data.meetings.filter((m) => m.consentDate.startsWith(`${data.year}-`));
  const byId = new Map(meetings.map((m) => [m.id, m]));
  const scopes: ScopeIndicators[] = [];
  const scopeList: (Municipality | typeof COUNTY)[] = [...(options.county ? [COUNTY] : []), ...options.municipalities];
  for (const scope of scopeList) {
    const inScope = (municipality: Municipality) => scope === COUNTY || municipality === scope;
    const groups = {} as Record<GroupKey, Figures>;
    for (const group of GROUPS) {
      const ms = meetings.filter((m) => inScope(m.municipality) && inGroup(m, group));
      const ds = data.deviations.filter((d) => {
        if (!inScope(d.municipality)) return false;
        if (group === 'alla') return true;
        const meeting = d.meetingId ? byId.get(d.meetingId) : undefined;
        return meeting !== undefined && inGroup(meeting, group);
      });
      groups[group] = computeFigures(ms, data.commitments, ds, data.asOf);
    }
    scopes.push({ scope, groups });
  }
  return { year: data.year, asOf: data.asOf, scopes };
}

/** A figure as it may be shown: a number, "<5" (suppressed) or null (nothing to compute it from). */
export type Shown = number | '<5' | null;

/** The smallest count that is shown as it is; 1 to MIN_SHOWN − 1 become "<5". */
export const MIN_SHOWN = 5;

/**
 * Small-count suppression, so that no child can be singled out:
 * - a count of 0 is shown as 0; a count of 1–4 as "<5"; 5 or more as it is;
 * - a share or a median is shown only when it is computed from at least 5 records (meetings,
 *   summonses, commitments or deviations: its denominator or n); from 1–4 it is "<5"; from none it
 *   is null (nothing to show). Shares are fractions rounded to 3 decimals, medians to 1 decimal.
 * Complementary suppression (a hidden count that can be derived from shown ones, e.g. initiated
 * minus held) is not done.
 */
export function suppress(metric: Metric): Shown {
  switch (metric.kind) {
    case 'count':
      return metric.value === 0 ? 0 : metric.value < MIN_SHOWN ? '<5' : metric.value;
    case 'share':
      if (metric.denominator === 0) return null;
      if (metric.denominator < MIN_SHOWN) return '<5';
      return Math.round((metric.numerator / metric.denominator) * 1000) / 1000;
    case 'median':
      if (metric.n === 0 || metric.value === null) return null;
      if (metric.n < MIN_SHOWN) return '<5';
      return Math.round(metric.value * 10) / 10;
  }
}
