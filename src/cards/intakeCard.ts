import type { IntakeField, IntakeInput, IntakeProblem } from '../domain/intake';
import { CONSENT_GIVERS, CONVENING_PARTIES, GENDERS, SUMMONABLE_PARTIES, type ConveningParty } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

/** What the sender may choose as municipality and convening party (kallande part) here. */
export interface ConveningChoices {
  municipalities: readonly string[];
  conveners: readonly ConveningParty[];
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
  /** A message next to each field with a problem, '' elsewhere. */
  e: Record<IntakeField, string>;
  general: string;
  deadlines: string;
  /** The meeting this one follows up, carried in the submit action's data; '' for a first meeting. */
  followsUp: string;
}

const FIELDS: IntakeField[] = [
  'municipality', 'convener', 'summoned', 'caseReference', 'age', 'gender', 'purpose', 'urgent', 'consentDate', 'consentFrom',
  'consentParties', 'consentConfirmed', 'time1Date', 'time1Time', 'time2Date', 'time2Time', 'time3Date', 'time3Time', 'place', 'placedOutsideHome',
];

function messageFor(problem: IntakeProblem): string {
  if (problem.code === 'notCovered') return sv.intake.notCovered(problem.parties.map((p) => sv.party[p]).join(' och '));
  if (problem.field === 'consentConfirmed') return sv.intake.consentRequired;
  return sv.intake.problem[problem.code];
}

/** Keeps only short plain strings from card data, so a forged value cannot blow up the card. */
function shown(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.slice(0, 500) : '';
}

/** The intake card (kallelse): empty with presets, or refilled with the values and a message per problem. */
export function intakeCard(input: {
  values: IntakeInput;
  problems?: IntakeProblem[];
  general?: string;
  deadlines?: string;
  followsUp?: string;
  allowed?: ConveningChoices;
}): AdaptiveCardJson {
  const v = Object.fromEntries(FIELDS.map((f) => [f, shown(input.values[f])])) as Record<IntakeField, string>;
  const e = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<IntakeField, string>;
  for (const problem of input.problems ?? []) e[problem.field] ||= messageFor(problem);
  const general = input.general ?? (input.problems?.length ? sv.intake.fixErrors : '');
  return renderCard<IntakeCardData>('intake', {
    t: sv.intake,
    municipalities: input.allowed?.municipalities ?? MUNICIPALITIES,
    conveners: partyChoices(input.allowed?.conveners ?? CONVENING_PARTIES),
    summonable: partyChoices(SUMMONABLE_PARTIES),
    genders: GENDERS.map((value) => ({ title: sv.gender[value], value })),
    consentGivers: CONSENT_GIVERS.map((value) => ({ title: sv.consentGiver[value], value })),
    v,
    e,
    general,
    deadlines: input.deadlines ?? '',
    followsUp: input.followsUp ?? '',
  });
}
