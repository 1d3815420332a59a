import { CONVENING_PARTIES, SUMMONABLE_PARTIES, type SummonableParty } from '../domain/meeting';
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
  /** Who can convene the follow-up meeting: the meeting's parties that convene Norrbusmöten. */
  conveners: Choice[];
  coordinatorValue: string;
  followUpDateValue: string;
  followUpConvenerValue: string;
}

/** The coordinator (samordnare): as named, or social services when the young person is placed outside the home. */
export function coordinatorOf(meeting: Meeting): { party?: SummonableParty; text: string } {
  if (meeting.plan.coordinator) return { party: meeting.plan.coordinator, text: sv.party[meeting.plan.coordinator] };
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
    error,
    note: 'snapshotAt' in view ? sv.plan.snapshot(formatInstant(view.snapshotAt.toISOString())) : thread !== 'convener' ? sv.plan.convenerEdits(sv.party[meeting.intake.convener]) : '',
    canEdit: thread === 'convener',
    live: thread !== undefined,
    meetingId: meeting.id,
    groups,
    parties: partyChoices(partiesOf(meeting)),
    conveners: partyChoices(partiesOf(meeting).filter((p) => (CONVENING_PARTIES as readonly string[]).includes(p))),
    coordinatorValue: coordinatorOf(meeting).party ?? '',
    followUpDateValue: followUpDate ?? '',
    followUpConvenerValue: followUpConvenerOf(meeting),
  });
  return thread ? withRefresh(card, meeting.id, { view: 'plan' }, viewersOf(meeting, thread)) : card;
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
