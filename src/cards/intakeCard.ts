import { addWorkingDays, dateInStockholm, type IsoDate } from '../domain/calendar';
import { INTAKE_FIELDS, type IntakeField, type IntakeInput, type IntakeProblem } from '../domain/intake';
import { CONSENT_GIVERS, CONVENING_PARTIES, GENDERS, SUMMONABLE_PARTIES, type SummonableParty } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { maskPersonalIdentityNumbers } from '../domain/privacy';
import { formatDate, formatLocalDateTime } from '../texts/format';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

/** What the sender may choose as municipality and convening party (kallande part) here. */
export interface ConveningChoices {
  municipalities: readonly string[];
  /** The three for a first meeting; for a follow-up meeting, the party the first one named. */
  conveners: readonly SummonableParty[];
}

/** A problem found outside the field rules (a taken case reference, a party without a channel, authority), shown next to its field. */
export interface FieldMessage {
  field: IntakeField;
  message: string;
}

export interface IntakeCardData {
  t: typeof sv.intake;
  municipalities: readonly string[];
  conveners: Choice[];
  summonable: Choice[];
  genders: Choice[];
  consentGivers: Choice[];
  /** The values shown in the inputs (kept when the card comes back with problems). */
  v: Record<IntakeField, string>;
  /** The messages under each field with a problem, none elsewhere. */
  e: Record<IntakeField, string[]>;
  /** What each field expects, with an example: Teams shows it when its own check stops the card. */
  x: Record<IntakeField, string>;
  /** One line naming every field to correct; '' when there is none. */
  summary: string;
  /** Messages about the card as a whole, one line each. */
  general: string[];
  caseReferenceHint: string;
  deadlines: string;
  /** The meeting this one follows up, carried in the submit action's data; '' for a first meeting. */
  followsUp: string;
}

/** The time row a time field belongs to: its messages are shown under the row. */
const TIME_ROW: Partial<Record<IntakeField, IntakeField>> = { time1Time: 'time1Date', time2Time: 'time2Date', time3Time: 'time3Date' };

/** "A, B eller C". */
function either(names: readonly string[], word = 'eller'): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${word} ${names[names.length - 1]}`;
}

/** The examples the messages give, from what is known about this card. */
interface Examples {
  municipality: string;
  conveners: string;
  /** The parties to summon besides the convener. */
  others: string;
  summonable: string;
  caseReference: string;
  genders: string;
  consentGivers: string;
  today: string;
  time: string;
  convenerName: string;
}

function examplesFor(values: IntakeInput, allowed: ConveningChoices | undefined, today: IsoDate, proposedReference: string | undefined): Examples {
  const convener = SUMMONABLE_PARTIES.find((p) => p === values.convener);
  const others = (convener ? CONVENING_PARTIES.filter((p) => p !== convener) : (['socialtjanst', 'primarvard'] as const)).map((p) => sv.party[p]);
  return {
    municipality: allowed?.municipalities[0] ?? 'Luleå',
    conveners: either((allowed?.conveners ?? CONVENING_PARTIES).map((p) => sv.party[p])),
    others: either(others, 'och'),
    summonable: either(SUMMONABLE_PARTIES.map((p) => sv.party[p])),
    caseReference: proposedReference || `NB-${today.slice(0, 4)}-0001`,
    genders: either(GENDERS.map((g) => sv.gender[g])),
    consentGivers: CONSENT_GIVERS.map((g) => sv.consentGiver[g].toLowerCase()).join(', '),
    today: formatDate(today, new Date(`${today}T12:00:00Z`)),
    time: formatLocalDateTime(`${addWorkingDays(today, 3)}T13:00`),
    convenerName: convener ? sv.party[convener] : sv.intake.convener,
  };
}

function timeNumber(field: IntakeField): number {
  return Number(/^time(\d)/.exec(field)?.[1] ?? 1);
}

/** What a field expects, with an example (for an empty field, and Teams' own check before sending). */
function expected(field: IntakeField, ex: Examples): string {
  const t = sv.intake.expected;
  switch (field) {
    case 'municipality':
      return t.municipality(ex.municipality);
    case 'convener':
      return t.convener(ex.conveners);
    case 'summoned':
      return t.summoned(ex.others);
    case 'caseReference':
      return t.caseReference(ex.caseReference);
    case 'age':
      return t.age;
    case 'gender':
      return t.gender(ex.genders);
    case 'purpose':
      return t.purpose;
    case 'consentDate':
      return t.consentDate(ex.today);
    case 'consentFrom':
      return t.consentFrom(ex.consentGivers);
    case 'consentParties':
      return t.consentParties(ex.others);
    case 'consentConfirmed':
      return sv.intake.consentRequired;
    case 'place':
      return t.place;
    case 'time1Date':
    case 'time1Time':
      return t.firstTime(ex.time);
    case 'time2Date':
    case 'time2Time':
    case 'time3Date':
    case 'time3Time':
      return t.time(timeNumber(field), ex.time);
    case 'urgent':
    case 'placedOutsideHome':
      return '';
  }
}

/** What is wrong with a value that is there, and what is expected instead. */
function invalid(field: IntakeField, ex: Examples): string {
  const t = sv.intake.invalid;
  switch (field) {
    case 'municipality':
      return t.municipality(ex.municipality);
    case 'convener':
      return t.convener(ex.conveners);
    case 'summoned':
      return t.summoned(ex.summonable);
    case 'caseReference':
      return t.caseReference(ex.caseReference);
    case 'age':
      return t.age;
    case 'gender':
      return t.gender(ex.genders);
    case 'consentDate':
      return t.consentDate(ex.today);
    case 'consentFrom':
      return t.consentFrom(ex.consentGivers);
    case 'consentParties':
      return t.consentParties(ex.summonable);
    case 'time1Date':
    case 'time1Time':
      return t.firstTime(ex.time);
    case 'time2Date':
    case 'time2Time':
    case 'time3Date':
    case 'time3Time':
      return t.time(timeNumber(field), ex.time);
    default:
      return expected(field, ex);
  }
}

function messagesFor(problem: IntakeProblem | FieldMessage, ex: Examples, values: IntakeInput): string[] {
  if ('message' in problem) return [problem.message];
  const p = sv.intake.problem;
  switch (problem.code) {
    case 'required':
      return [expected(problem.field, ex)];
    case 'invalid':
      return [invalid(problem.field, ex)];
    case 'personnummer':
      return [p.personnummer, p.masked(sv.intake.maskedNumber), ...(problem.field === 'caseReference' ? [expected('caseReference', ex)] : [])];
    case 'tooLong': {
      const value = values[problem.field];
      return [p.tooLong(typeof value === 'string' ? value.trim().length : 0)];
    }
    case 'tooOld':
      return [p.tooOld];
    case 'adultConsents':
      return [p.adultConsents];
    case 'convenerSummoned':
      return [p.convenerSummoned(ex.convenerName, ex.others)];
    case 'inFuture':
      return [p.inFuture(ex.today)];
    case 'notCovered':
      return [sv.intake.notCovered(either(problem.parties.map((party) => sv.party[party]), 'och'))];
    case 'inPast':
      return [p.inPast(ex.time)];
    case 'duplicate':
      return [p.duplicate(timeNumber(problem.field), ex.time)];
  }
}

/**
 * Keeps only short plain strings from card data, so a forged value cannot blow up the card; a
 * personnummer in one is masked (the card may replace a message that everyone in a channel sees).
 */
function shown(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? maskPersonalIdentityNumbers(value, sv.intake.maskedNumber).slice(0, 500) : '';
}

/**
 * The intake card (kallelse): empty with presets, or refilled with the values, the messages under
 * every field with a problem (all of them at once) and one summary line naming those fields.
 */
export function intakeCard(input: {
  values: IntakeInput;
  problems?: (IntakeProblem | FieldMessage)[];
  general?: string | string[];
  deadlines?: string;
  followsUp?: string;
  allowed?: ConveningChoices;
  /** Today in Europe/Stockholm, for the examples (default: the system clock). */
  today?: IsoDate;
  /** The next free case reference in the municipality, for the examples. */
  proposedReference?: string;
}): AdaptiveCardJson {
  const today = input.today ?? dateInStockholm(new Date());
  const ex = examplesFor(input.values, input.allowed, today, input.proposedReference);
  const v = Object.fromEntries(INTAKE_FIELDS.map((f) => [f, shown(input.values[f])])) as Record<IntakeField, string>;
  const e = Object.fromEntries(INTAKE_FIELDS.map((f) => [f, [] as string[]])) as Record<IntakeField, string[]>;
  for (const problem of input.problems ?? []) {
    const lines = e[TIME_ROW[problem.field] ?? problem.field];
    for (const line of messagesFor(problem, ex, input.values)) if (!lines.includes(line)) lines.push(line);
  }
  const marked = [...new Set(INTAKE_FIELDS.filter((f) => e[f].length > 0).map((f) => sv.intake.fieldName[f]))];
  const general = input.general === undefined ? [] : ([] as string[]).concat(input.general).filter((line) => line.trim() !== '');
  return renderCard<IntakeCardData>('intake', {
    t: sv.intake,
    municipalities: input.allowed?.municipalities ?? MUNICIPALITIES,
    conveners: partyChoices(input.allowed?.conveners ?? CONVENING_PARTIES),
    summonable: partyChoices(SUMMONABLE_PARTIES),
    genders: GENDERS.map((value) => ({ title: sv.gender[value], value })),
    consentGivers: CONSENT_GIVERS.map((value) => ({ title: sv.consentGiver[value], value })),
    v,
    e,
    x: Object.fromEntries(INTAKE_FIELDS.map((f) => [f, expected(f, ex) || sv.intake.fieldName[f]])) as Record<IntakeField, string>,
    summary: marked.length > 0 ? sv.intake.fixErrors(marked.join(', ')) : '',
    general,
    caseReferenceHint: sv.intake.caseReferenceHint(ex.caseReference),
    deadlines: input.deadlines ?? '',
    followsUp: input.followsUp ?? '',
  });
}
