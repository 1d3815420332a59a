import { SUMMONABLE_PARTIES, type SummonableParty } from '../domain/meeting';
import { costSharingDue, PLAN_OWNER_PARTIES, placementStepParty, planOwnerRequired, type PlacementStep } from '../domain/plan';
import type { Commitment } from '../store/commitmentRepository';
import type { Meeting } from '../store/meetingRepository';
import { formatDate, formatInstant } from '../texts/format';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { viewersOf, withRefresh } from './refresh';
import { renderCard, type AdaptiveCardJson } from './render';


export interface PlanCardData {
  t: typeof sv.plan;
  c: typeof sv.commitment;
  title: string;
  intro: string;
  coordinator: string;
  followUp: string;
  /** The parties that stated they have no intervention, by name ("" when none). */
  nothingFurther: string;
  /** The planansvarig ("" when none is named and none is needed). */
  planOwner: string;
  /** A warning when a planansvarig is needed and missing. */
  planOwnerMissing: string;
  sip: string;
  /** The placement's steps as facts (none without a placement). */
  placement: { title: string; value: string }[];
  /** Buttons this thread may press: "Hälsoundersökningen är genomförd", "Kostnadsfördelningen är klarlagd". */
  placementSteps: { title: string; step: PlacementStep }[];
  error: string;
  /** Under the intro: a snapshot's time, or who edits the plan when it is not this thread's party. */
  note: string;
  canEdit: boolean;
  /** False on a snapshot: no buttons at all. */
  live: boolean;
  meetingId: string;
  groups: {
    party: string;
    commitments: {
      id: string;
      intervention: string;
      scope: string;
      performer: string;
      followUp: string;
      status: string;
      active: boolean;
      /** The responsible party's thread (or the convener's thread for the convening party's own): "Påbörjad", "Genomförd". */
      canMark: boolean;
      interventionValue: string;
      scopeValue: string;
      performerValue: string;
      followUpValue: string;
    }[];
  }[];
  parties: Choice[];
  /** Who can be planansvarig: the meeting's social services and health-care parties. */
  planOwners: Choice[];
  coordinatorValue: string;
  coordinatorNameValue: string;
  planOwnerValue: string;
  planOwnerNameValue: string;
  sipValue: string;
  followUpDateValue: string;
  followUpConvenerValue: string;
  placedValue: string;
  placementDecidedOnValue: string;
  placementAcuteValue: string;
  healthExaminationByValue: string;
}

/** The coordinator (samordnare): as named, or social services when the young person is placed outside the home. */
export function coordinatorOf(meeting: Meeting): { party?: SummonableParty; text: string } {
  const { coordinator, coordinatorName } = meeting.plan;
  if (coordinator) return { party: coordinator, text: coordinatorName ? sv.plan.withName(sv.party[coordinator], coordinatorName) : sv.party[coordinator] };
  if (meeting.intake.placedOutsideHome) return { party: 'socialtjanst', text: `${sv.party.socialtjanst} – ${sv.plan.defaultCoordinator}` };
  return { text: sv.plan.noCoordinator };
}

/** Who convenes the follow-up meeting: as set, or the convener. */
export function followUpConvenerOf(meeting: Meeting): SummonableParty {
  return meeting.plan.followUpConvener ?? meeting.intake.convener;
}

/** Every party of the meeting: the convener first, then those summoned. */
export function partiesOf(meeting: Meeting): SummonableParty[] {
  return [meeting.intake.convener, ...meeting.intake.summoned];
}

/** Where a plan card is shown: in the convener's or a party's thread, or posted as a snapshot at a time. */
export type PlanView = { thread: 'convener' | SummonableParty } | { snapshotAt: Date };

/**
 * The plan card (sammanställning): commitments grouped by responsible party, coordinator and
 * follow-up. The convener's thread edits the plan; a party's thread marks that party's insatser;
 * a snapshot has no buttons and says when it was taken.
 */
export function planCard(meeting: Meeting, commitments: Commitment[], view: PlanView, error = ''): AdaptiveCardJson {
  const thread = 'thread' in view ? view.thread : undefined;
  const viewerParty = thread === 'convener' ? meeting.intake.convener : thread;
  const visible = commitments.filter((c) => c.status !== 'withdrawn');
  const groups = SUMMONABLE_PARTIES.filter((p) => visible.some((c) => c.party === p)).map((party) => ({
    party: sv.party[party],
    commitments: visible
      .filter((c) => c.party === party)
      .map((c) => ({
        id: c.id,
        intervention: c.intervention,
        scope: c.scope || '–',
        performer: c.performer || '–',
        followUp: c.followUpDate ? formatDate(c.followUpDate) : '–',
        status: sv.plan.status[c.status],
        active: c.status !== 'done',
        canMark: c.status !== 'done' && viewerParty === c.party,
        interventionValue: c.intervention,
        scopeValue: c.scope,
        performerValue: c.performer,
        followUpValue: c.followUpDate ?? '',
      })),
  }));
  const followUpDate = meeting.plan.followUpDate;
  const card = renderCard<PlanCardData>('plan', {
    t: sv.plan,
    c: sv.commitment,
    title: sv.plan.title(meeting.intake.caseReference),
    intro: sv.plan.intro(meeting.intake.municipality),
    coordinator: coordinatorOf(meeting).text,
    followUp: followUpDate ? sv.plan.followUpBy(formatDate(followUpDate), sv.party[followUpConvenerOf(meeting)]) : sv.plan.noFollowUp,
    nothingFurther: nothingFurtherText(meeting),
    planOwner: planOwnerText(meeting),
    planOwnerMissing: planOwnerRequired(coordinatorOf(meeting).party) && !meeting.plan.planOwner ? sv.plan.planOwnerMissing : '',
    sip: meeting.plan.sip ? sv.meeting.yes : sv.meeting.no,
    placement: placementFacts(meeting),
    placementSteps: thread ? placementStepsFor(meeting, viewerParty!) : [],
    error,
    note: 'snapshotAt' in view ? sv.plan.snapshot(formatInstant(view.snapshotAt.toISOString())) : thread !== 'convener' ? sv.plan.convenerEdits(sv.party[meeting.intake.convener]) : '',
    canEdit: thread === 'convener',
    live: thread !== undefined,
    meetingId: meeting.id,
    groups,
    parties: partyChoices(partiesOf(meeting)),
    planOwners: partyChoices(partiesOf(meeting).filter((p) => PLAN_OWNER_PARTIES.includes(p))),
    coordinatorValue: coordinatorOf(meeting).party ?? '',
    coordinatorNameValue: meeting.plan.coordinatorName ?? '',
    planOwnerValue: meeting.plan.planOwner ?? '',
    planOwnerNameValue: meeting.plan.planOwnerName ?? '',
    sipValue: String(Boolean(meeting.plan.sip)),
    followUpDateValue: followUpDate ?? '',
    followUpConvenerValue: followUpConvenerOf(meeting),
    placedValue: String(Boolean(meeting.plan.placement ?? meeting.intake.placedOutsideHome)),
    placementDecidedOnValue: meeting.plan.placement?.decidedOn ?? '',
    placementAcuteValue: String(Boolean(meeting.plan.placement?.acute)),
    healthExaminationByValue: meeting.plan.placement?.healthExaminationBy ?? '',
  });
  return thread ? withRefresh(card, meeting.id, { view: 'plan' }, viewersOf(meeting, thread)) : card;
}

/** The planansvarig as named, or "" when none is named. */
function planOwnerText(meeting: Meeting): string {
  const { planOwner, planOwnerName } = meeting.plan;
  if (!planOwner) return '';
  return planOwnerName ? sv.plan.withName(sv.party[planOwner], planOwnerName) : sv.party[planOwner];
}

/** The health examination and, after an acute placement decision, the cost sharing: due or done. */
function placementFacts(meeting: Meeting): { title: string; value: string }[] {
  const placement = meeting.plan.placement;
  if (!placement) return [];
  const examination = placement.healthExaminationDoneOn
    ? sv.plan.healthExaminationDone(formatDate(placement.healthExaminationDoneOn))
    : placement.healthExaminationBy
      ? sv.plan.healthExaminationDue(formatDate(placement.healthExaminationBy))
      : sv.plan.healthExaminationNoDate;
  const due = costSharingDue(placement);
  const costSharing = placement.costSharingSettledOn
    ? sv.plan.costSharingSettled(formatDate(placement.costSharingSettledOn))
    : due
      ? sv.plan.costSharingDue(formatDate(due))
      : sv.plan.costSharingBefore;
  return [
    { title: sv.plan.placement, value: placement.acute ? sv.plan.placementAcute : sv.meeting.yes },
    { title: sv.plan.healthExamination, value: examination },
    { title: sv.plan.costSharing, value: costSharing },
  ];
}

/** The placement steps still open that this thread's party marks done. */
function placementStepsFor(meeting: Meeting, party: SummonableParty): { title: string; step: PlacementStep }[] {
  const placement = meeting.plan.placement;
  if (!placement) return [];
  const steps: { title: string; step: PlacementStep }[] = [];
  if (!placement.healthExaminationDoneOn && placementStepParty(partiesOf(meeting), meeting.intake.convener, 'healthExamination') === party) {
    steps.push({ title: sv.plan.markHealthExamination, step: 'healthExamination' });
  }
  if (!placement.costSharingSettledOn && placementStepParty(partiesOf(meeting), meeting.intake.convener, 'costSharing') === party) steps.push({ title: sv.plan.markCostSharing, step: 'costSharing' });
  return steps;
}

/** "Socialtjänst, Primärvård": the parties that stated they have no intervention. */
function nothingFurtherText(meeting: Meeting): string {
  return (meeting.plan.nothingFurther ?? []).map((p) => sv.party[p]).join(', ');
}

/** The card asking to confirm that a party has no intervention of its own. */
export function nothingFurtherCard(meeting: Meeting, party: SummonableParty): AdaptiveCardJson {
  return renderCard('nothing-further', {
    t: sv.commitment,
    title: sv.commitment.nothingFurtherTitle(sv.party[party]),
    detail: sv.commitment.nothingFurtherDetail,
    caseReference: `${sv.meeting.caseReference}: ${meeting.intake.caseReference}`,
    meetingId: meeting.id,
    party,
  });
}

/** The plan as plain text for the journal: nothing identifying beyond the case reference. */
export function planText(meeting: Meeting, commitments: Commitment[]): string {
  const visible = commitments.filter((c) => c.status !== 'withdrawn');
  const lines = [sv.plan.exportHeading(meeting.intake.caseReference, meeting.intake.municipality)];
  lines.push(`${sv.plan.coordinator}: ${coordinatorOf(meeting).text}`);
  if (planOwnerText(meeting)) lines.push(`${sv.plan.planOwner}: ${planOwnerText(meeting)}`);
  lines.push(`${sv.plan.sip}: ${meeting.plan.sip ? sv.meeting.yes : sv.meeting.no}`);
  for (const fact of placementFacts(meeting)) lines.push(`${fact.title}: ${fact.value}`);
  const followUpDate = meeting.plan.followUpDate;
  if (nothingFurtherText(meeting)) lines.push(`${sv.plan.nothingFurther}: ${nothingFurtherText(meeting)}`);
  lines.push(`${sv.plan.followUpMeeting}: ${followUpDate ? sv.plan.followUpBy(formatDate(followUpDate), sv.party[followUpConvenerOf(meeting)]) : sv.plan.noFollowUp}`);
  for (const party of SUMMONABLE_PARTIES) {
    const own = visible.filter((c) => c.party === party);
    if (own.length === 0) continue;
    lines.push('', sv.party[party]);
    for (const c of own) {
      lines.push(
        sv.plan.exportLine({
          intervention: c.intervention,
          scope: c.scope,
          performer: c.performer,
          followUp: c.followUpDate ? formatDate(c.followUpDate) : '',
          status: sv.plan.status[c.status].toLowerCase(),
        }),
      );
    }
  }
  if (visible.length === 0) lines.push('', sv.plan.none);
  // Teams joins single line breaks of a message into one line: every line a paragraph of its own.
  return lines.filter((line) => line !== '').join('\n\n');
}

type ConfirmValues = { party: string; intervention: string; scope: string; performer: string; followUpDate: string };

export interface CommitmentConfirmCardData {
  t: typeof sv.commitment;
  caseReference: string;
  error: string;
  meetingId: string;
  parties: Choice[];
  /** The items saved so far, as card data for the next "Spara" ("0,2"). */
  savedList: string;
  items: { item: string; suffix: string; heading: string; saved: boolean; v: ConfirmValues }[];
}

/**
 * The confirmation card: what the bot understood of one or more commitments, every field editable,
 * a "Spara" per commitment and "Avbryt". With several, each input id has the item's suffix
 * (`party_1`) and a saved item shows as saved while the others stay editable.
 */
export function commitmentConfirmCard(meeting: Meeting, values: Partial<ConfirmValues> | Partial<ConfirmValues>[], error = '', saved: number[] = []): AdaptiveCardJson {
  const list = Array.isArray(values) ? values : [values];
  const several = Array.isArray(values) && values.length > 1;
  return renderCard<CommitmentConfirmCardData>('commitment-confirm', {
    t: sv.commitment,
    caseReference: `${sv.meeting.caseReference}: ${meeting.intake.caseReference}`,
    error,
    meetingId: meeting.id,
    parties: partyChoices(partiesOf(meeting)),
    savedList: saved.join(','),
    items: list.map((v, i) => ({
      item: several ? String(i) : '',
      suffix: several ? `_${i}` : '',
      heading: several ? sv.commitment.itemHeading(i + 1, list.length) : '',
      saved: saved.includes(i),
      v: { party: v.party ?? '', intervention: v.intervention ?? '', scope: v.scope ?? '', performer: v.performer ?? '', followUpDate: v.followUpDate ?? '' },
    })),
  });
}
