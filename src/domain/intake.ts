import { DateTime } from 'luxon';
import { addWorkingDays, dateInStockholm, type IsoDate, ZONE } from './calendar';
import {
  CONSENT_GIVERS,
  CONVENING_PARTIES,
  GENDERS,
  SUMMONABLE_PARTIES,
  type Intake,
  type LocalDateTime,
  type SummonableParty,
} from './meeting';
import { DEFAULT_LOCAL_PRACTICE, type LocalPractice } from './localPractice';
import { isMunicipality, type Municipality } from './municipality';
import { containsPersonalIdentityNumber } from './privacy';

/** The fields of the intake card (the ids of its inputs). */
export const INTAKE_FIELDS = [
  'municipality',
  'convener',
  'summoned',
  'caseReference',
  'age',
  'gender',
  'purpose',
  'urgent',
  'consentDate',
  'consentFrom',
  'consentParties',
  'consentConfirmed',
  'time1Date',
  'time1Time',
  'time2Date',
  'time2Time',
  'time3Date',
  'time3Time',
  'place',
  'placedOutsideHome',
] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

/** Why a field was refused; the bot turns each into a Swedish message next to the field. */
export type IntakeProblem =
  | { field: IntakeField; code: 'required' | 'invalid' | 'personnummer' | 'tooLong' }
  | { field: 'age'; code: 'tooOld' }
  | { field: 'summoned'; code: 'convenerSummoned' }
  | { field: 'consentDate'; code: 'inFuture' }
  | { field: 'consentFrom'; code: 'adultConsents' }
  | { field: 'consentParties'; code: 'notCovered'; parties: SummonableParty[] }
  | { field: 'time1Date' | 'time2Date' | 'time3Date'; code: 'inPast' | 'duplicate' };

export type IntakeResult = { ok: true; intake: Intake } | { ok: false; problems: IntakeProblem[] };

const MAX_TEXT = 500;
/** The age from which the young person alone consents (myndig). */
const ADULT = 18;
const CASE_REFERENCE = /^[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{2,19}$/;

/** The raw values of the card as Teams sends them: strings ("true"/"false" for toggles, CSV for multi-select). */
export type IntakeInput = Partial<Record<IntakeField, unknown>>;

function text(input: IntakeInput, field: IntakeField): string {
  const value = input[field];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function list(input: IntakeInput, field: IntakeField): string[] {
  return text(input, field)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function flag(input: IntakeInput, field: IntakeField): boolean {
  const value = input[field];
  return value === true || value === 'true';
}

function member<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}

/**
 * Checks every field of the intake card against the rules of the Norrbus agreement. `now` is the
 * instant of submission. Returns the intake, or every problem at once.
 */
export function validateIntake(input: IntakeInput, now: Date, conveners: readonly SummonableParty[] = CONVENING_PARTIES): IntakeResult {
  const problems: IntakeProblem[] = [];
  const today = dateInStockholm(now);

  const municipality = text(input, 'municipality');
  if (!municipality) problems.push({ field: 'municipality', code: 'required' });
  else if (!isMunicipality(municipality)) problems.push({ field: 'municipality', code: 'invalid' });

  const convener = text(input, 'convener');
  if (!convener) problems.push({ field: 'convener', code: 'required' });
  else if (!member(conveners, convener)) problems.push({ field: 'convener', code: 'invalid' });

  const summonedRaw = [...new Set(list(input, 'summoned'))];
  const summoned = summonedRaw.filter((p): p is SummonableParty => member(SUMMONABLE_PARTIES, p));
  if (summonedRaw.length === 0) problems.push({ field: 'summoned', code: 'required' });
  else if (summoned.length !== summonedRaw.length) problems.push({ field: 'summoned', code: 'invalid' });
  else if (summoned.includes(convener as SummonableParty)) problems.push({ field: 'summoned', code: 'convenerSummoned' });

  const caseReference = text(input, 'caseReference').toUpperCase();
  if (!caseReference) problems.push({ field: 'caseReference', code: 'required' });
  else if (containsPersonalIdentityNumber(caseReference)) problems.push({ field: 'caseReference', code: 'personnummer' });
  else if (!CASE_REFERENCE.test(caseReference)) problems.push({ field: 'caseReference', code: 'invalid' });

  const ageText = text(input, 'age');
  const age = Number(ageText);
  if (!ageText) problems.push({ field: 'age', code: 'required' });
  else if (!Number.isInteger(age) || age < 0) problems.push({ field: 'age', code: 'invalid' });
  else if (age > 20) problems.push({ field: 'age', code: 'tooOld' });

  const gender = text(input, 'gender');
  if (!gender) problems.push({ field: 'gender', code: 'required' });
  else if (!member(GENDERS, gender)) problems.push({ field: 'gender', code: 'invalid' });

  // Both at once: a long text with a personnummer is not refused again for its length after the fix.
  for (const field of ['purpose', 'place'] as const) {
    const value = text(input, field);
    if (!value) problems.push({ field, code: 'required' });
    if (value && containsPersonalIdentityNumber(value)) problems.push({ field, code: 'personnummer' });
    if (value.length > MAX_TEXT) problems.push({ field, code: 'tooLong' });
  }

  const consentDate = text(input, 'consentDate');
  if (!consentDate) problems.push({ field: 'consentDate', code: 'required' });
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(consentDate) || !DateTime.fromISO(consentDate, { zone: ZONE }).isValid) {
    problems.push({ field: 'consentDate', code: 'invalid' });
  } else if (consentDate > today) problems.push({ field: 'consentDate', code: 'inFuture' });

  const consentFrom = [...new Set(list(input, 'consentFrom'))];
  if (consentFrom.length === 0) problems.push({ field: 'consentFrom', code: 'required' });
  else if (!consentFrom.every((g) => member(CONSENT_GIVERS, g))) problems.push({ field: 'consentFrom', code: 'invalid' });
  // From 18 the young person consents alone: a guardian's consent does not apply.
  else if (Number.isInteger(age) && age >= ADULT && age <= 20 && (consentFrom.includes('vardnadshavare') || !consentFrom.includes('ungdomen'))) {
    problems.push({ field: 'consentFrom', code: 'adultConsents' });
  }

  const consentParties = [...new Set(list(input, 'consentParties'))];
  if (!consentParties.every((p) => member(SUMMONABLE_PARTIES, p))) problems.push({ field: 'consentParties', code: 'invalid' });
  else {
    // Checked even when the summoned parties have a problem of their own: every problem at once.
    const uncovered = summoned.filter((p) => p !== convener && !consentParties.includes(p));
    if (uncovered.length > 0) problems.push({ field: 'consentParties', code: 'notCovered', parties: uncovered });
  }

  if (!flag(input, 'consentConfirmed')) problems.push({ field: 'consentConfirmed', code: 'required' });

  const proposedTimes: LocalDateTime[] = [];
  for (const n of [1, 2, 3] as const) {
    const dateField = `time${n}Date` as const;
    const timeField = `time${n}Time` as const;
    const date = text(input, dateField);
    const time = text(input, timeField);
    if (!date && !time) {
      if (n === 1) problems.push({ field: dateField, code: 'required' });
      continue;
    }
    const when = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time) || !when.isValid) {
      problems.push({ field: dateField, code: 'invalid' });
    } else if (when.toJSDate() <= now) problems.push({ field: dateField, code: 'inPast' });
    else if (proposedTimes.includes(`${date}T${time}`)) problems.push({ field: dateField, code: 'duplicate' });
    else proposedTimes.push(`${date}T${time}`);
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    intake: {
      municipality: municipality as Municipality,
      convener: convener as SummonableParty,
      summoned,
      caseReference,
      age,
      gender: gender as Intake['gender'],
      purpose: text(input, 'purpose'),
      urgent: flag(input, 'urgent'),
      consent: {
        date: consentDate,
        from: consentFrom as Intake['consent']['from'],
        parties: consentParties as SummonableParty[],
      },
      proposedTimes: proposedTimes.sort(),
      place: text(input, 'place'),
      placedOutsideHome: flag(input, 'placedOutsideHome'),
    },
  };
}

/** The time limits of the 2013 agreement, in working days (an acute meeting: "snarast möjligt", a local limit). */
export const SUMMONS_WITHIN = 5;
export const MEETING_WITHIN = 10;

export interface Deadlines {
  /** The summons should go out at the latest 5 working days after consent. */
  summonsDue: IsoDate;
  /** The meeting at the latest 10 working days after the summons (when acute: the local practice's limit). */
  meetingDue: IsoDate;
}

export function deadlinesFor(intake: Pick<Intake, 'consent' | 'urgent'>, summonsDate: IsoDate, practice: LocalPractice = DEFAULT_LOCAL_PRACTICE): Deadlines {
  return {
    summonsDue: addWorkingDays(intake.consent.date, SUMMONS_WITHIN),
    meetingDue: addWorkingDays(summonsDate, intake.urgent ? practice.urgentMeetingDays : MEETING_WITHIN),
  };
}

/** The proposed times that fall after the meeting deadline: allowed, but flagged on the card. */
export function timesAfterDeadline(times: LocalDateTime[], meetingDue: IsoDate): LocalDateTime[] {
  return times.filter((t) => t.slice(0, 10) > meetingDue);
}
