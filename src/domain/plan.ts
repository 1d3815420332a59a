import { addWorkingDays, type IsoDate } from './calendar';
import type { SummonableParty } from './meeting';

/**
 * The rules of the plan (samordnad individuell plan, SIP, in the 2013 agreement) beyond the
 * commitments: who coordinates and who answers for the plan, and what a placement outside the home
 * adds. Pure: no storage, no Teams.
 */

/** The parties that are social services or health care: the law makes them answer for a SIP. */
export const PLAN_OWNER_PARTIES: readonly SummonableParty[] = ['socialtjanst', 'primarvard', 'specialistvard'];

/** Working days after an acute placement decision within which the cost sharing is settled (2013). */
export const COST_SHARING_WITHIN = 10;

/** A named professional of a party (samordnare or planansvarig): a role or name, never the young person. */
export interface NamedProfessional {
  party: SummonableParty;
  /** Who, as the parties know them ("Jonas Berg, socialsekreterare"); empty when not yet named. */
  name: string;
}

/**
 * A placement outside the home (vård utanför det egna hemmet): the health examination before it
 * (primärvård) and, after an acute placement decision, the cost sharing (kostnadsfördelning).
 */
export interface Placement {
  /** The day of the placement decision (beslut om placering), when taken. */
  decidedOn?: IsoDate;
  acute: boolean;
  /** The day by which primärvård holds the health examination (hälsoundersökning inför placering). */
  healthExaminationBy?: IsoDate;
  healthExaminationDoneOn?: IsoDate;
  costSharingSettledOn?: IsoDate;
}

/** When a planansvarig must be named: the samordnare is outside social services and health care. */
export function planOwnerRequired(coordinator: SummonableParty | undefined): boolean {
  return coordinator !== undefined && !PLAN_OWNER_PARTIES.includes(coordinator);
}

/** The day the cost sharing must be settled by: 10 working days after an acute placement decision; otherwise before placement. */
export function costSharingDue(placement: Placement): IsoDate | undefined {
  return placement.acute && placement.decidedOn ? addWorkingDays(placement.decidedOn, COST_SHARING_WITHIN) : undefined;
}

export type PlanRefusal = 'planOwnerRequired' | 'planOwnerNotCare';

/** What is wrong with the plan's roles as set, or nothing. */
export function checkPlanRoles(plan: { coordinator?: NamedProfessional; planOwner?: NamedProfessional }): PlanRefusal | undefined {
  if (plan.planOwner && !PLAN_OWNER_PARTIES.includes(plan.planOwner.party)) return 'planOwnerNotCare';
  if (planOwnerRequired(plan.coordinator?.party) && !plan.planOwner) return 'planOwnerRequired';
  return undefined;
}

/** What the young person and the family took part in at the meeting (delaktighet), yes/no only. */
export interface Participation {
  /** The parties that took part, of the meeting's. */
  parties: SummonableParty[];
  youngPerson: boolean;
  /** Per guardian there is (none when 18 or older): took part or not. */
  guardians: boolean[];
  /** Whether the young person's own view was sought and recorded (never what it was). */
  viewRecorded: boolean;
}

/** The placement steps a party marks done, and whose each is: primärvård's examination, social services' cost sharing. */
export const PLACEMENT_STEPS = { healthExamination: 'primarvard', costSharing: 'socialtjanst' } as const satisfies Record<string, SummonableParty>;
export type PlacementStep = keyof typeof PLACEMENT_STEPS;

/** Who marks a placement step: its party, or the convener when that party is not in the meeting. */
export function placementStepParty(parties: readonly SummonableParty[], convener: SummonableParty, step: PlacementStep): SummonableParty {
  const party = PLACEMENT_STEPS[step];
  return parties.includes(party) ? party : convener;
}

/** A guardian's part as the card asks it: took part, did not, or there is no such guardian. */
export type GuardianAnswer = 'yes' | 'no' | 'none';

export type ParticipationRefusal = 'notFixed' | 'notYetHeld' | 'noParties' | 'notAParty';

/**
 * "Mötet hölls": checks what the convener states against the meeting (fixed, its time begun, the
 * parties its own) and returns the participation to record. A guardian is asked about only when
 * the young person is under 18; "none" means there is no such guardian.
 */
export function recordParticipation(
  meeting: { state: string; fixedTime?: string; parties: readonly SummonableParty[]; age: number },
  stated: { parties: string[]; youngPerson: boolean; guardians: GuardianAnswer[]; viewRecorded: boolean },
  nowLocal: string,
): { ok: true; participation: Participation } | { ok: false; refusal: ParticipationRefusal } {
  if (meeting.state !== 'fixed' || !meeting.fixedTime) return { ok: false, refusal: 'notFixed' };
  if (meeting.fixedTime > nowLocal) return { ok: false, refusal: 'notYetHeld' };
  if (stated.parties.length === 0) return { ok: false, refusal: 'noParties' };
  if (stated.parties.some((p) => !meeting.parties.includes(p as SummonableParty))) return { ok: false, refusal: 'notAParty' };
  const parties = meeting.parties.filter((p) => stated.parties.includes(p));
  const guardians = meeting.age < 18 ? stated.guardians.filter((g) => g !== 'none').map((g) => g === 'yes') : [];
  return { ok: true, participation: { parties, youngPerson: stated.youngPerson, guardians, viewRecorded: stated.viewRecorded } };
}
