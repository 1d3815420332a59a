import type { SummonableParty } from '../domain/meeting';
import type { Disagreement } from '../store/disagreementRepository';
import { dateInStockholm } from '../domain/calendar';
import { formatDate } from '../texts/format';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

export interface DisagreementFormValues {
  /** Comma-separated, as an Adaptive Card multi-select sends it. */
  parties: string;
  question: string;
  /** The recording party's own management level that takes it up (optional). */
  managementLevel: string;
}

export interface DisagreementFormCardData {
  t: typeof sv.disagreement;
  intro: string;
  error: string;
  meetingId: string;
  noIdentifyingText: string;
  parties: Choice[];
  v: DisagreementFormValues;
}

/** The disagreement form (oenighet) for one meeting: which of its parties disagree, about what, and who in our management takes it up. */
export function disagreementFormCard(
  meeting: { id: string; caseReference: string; parties: readonly SummonableParty[] },
  values: Partial<DisagreementFormValues> = {},
  error = '',
): AdaptiveCardJson {
  return renderCard<DisagreementFormCardData>('disagreement-form', {
    t: sv.disagreement,
    intro: sv.disagreement.formIntro(meeting.caseReference),
    error,
    meetingId: meeting.id,
    noIdentifyingText: sv.noIdentifyingText,
    parties: partyChoices(meeting.parties),
    v: { parties: values.parties ?? '', question: values.question ?? '', managementLevel: values.managementLevel ?? '' },
  });
}

/**
 * Whose copy: `forum` (Forum barn och unga, informed, no actions), `party` (a disagreeing party in
 * its own thread: takes it up in its management, lifts it to Samverkansstruktur, records the
 * solution) or `meeting` (the thread it was recorded in, by a party not among those disagreeing).
 */
export type DisagreementSide = 'forum' | 'party' | 'meeting';

export interface DisagreementCardData {
  t: typeof sv.disagreement;
  title: string;
  facts: { title: string; value: string }[];
  note: string;
  error: string;
  side: DisagreementSide;
  status: Disagreement['status'];
  level: Disagreement['level'];
  /** Every disagreeing party's management has taken it up: Samverkansstruktur can be asked. */
  managementTried: boolean;
  /** This party's own management has not taken it up yet. */
  ownStepMissing: boolean;
  municipality: string;
  id: string;
  noIdentifyingText: string;
}

function day(instant: string): string {
  return formatDate(dateInStockholm(new Date(instant)));
}

/** The disagreement as the forum and the parties' threads see it; only the disagreeing parties' copies have actions. */
export function disagreementCard(disagreement: Disagreement, side: DisagreementSide, error = '', note = '', party?: SummonableParty): AdaptiveCardJson {
  const f = sv.disagreement.facts;
  const steps = disagreement.steps ?? [];
  const waiting = disagreement.parties.filter((p) => !steps.some((s) => s.party === p));
  const facts = [
    { title: f.caseReference, value: disagreement.caseReference },
    { title: f.parties, value: disagreement.parties.map((p) => sv.party[p]).join(', ') },
    { title: f.question, value: disagreement.question },
    { title: f.level, value: sv.disagreement.level[disagreement.level] },
    ...(steps.length ? [{ title: f.steps, value: steps.map((s) => sv.disagreement.step(sv.party[s.party], s.level, day(s.at))).join('; ') }] : []),
    ...(disagreement.status === 'open' && disagreement.level === 'management' && waiting.length ? [{ title: f.waiting, value: waiting.map((p) => sv.party[p]).join(', ') }] : []),
    { title: f.status, value: sv.disagreement.status[disagreement.status] },
    ...(disagreement.resolution ? [{ title: f.resolution, value: disagreement.resolution.text }] : []),
    ...(disagreement.resolution?.party ? [{ title: f.resolvedBy, value: sv.disagreement.resolvedAt(sv.party[disagreement.resolution.party], sv.disagreement.level[disagreement.resolution.level ?? disagreement.level], day(disagreement.resolution.at)) }] : []),
  ];
  return renderCard<DisagreementCardData>('disagreement', {
    t: sv.disagreement,
    title: sv.disagreement.title(disagreement.reference),
    facts,
    note: note || (side === 'forum' ? sv.disagreement.forumNote : ''),
    error,
    side,
    status: disagreement.status,
    level: disagreement.level,
    managementTried: waiting.length === 0,
    ownStepMissing: party !== undefined && waiting.includes(party),
    municipality: disagreement.municipality,
    id: disagreement.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
}
