import type { SummonableParty } from '../domain/meeting';
import { ESCALATION_LEVELS, type Disagreement } from '../store/disagreementRepository';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';


export interface DisagreementFormValues {
  /** Comma-separated, as an Adaptive Card multi-select sends it. */
  parties: string;
  question: string;
  level: string;
}

export interface DisagreementFormCardData {
  t: typeof sv.disagreement;
  intro: string;
  error: string;
  meetingId: string;
  noIdentifyingText: string;
  parties: Choice[];
  levels: Choice[];
  v: DisagreementFormValues;
}

/** The disagreement form (oenighet) for one meeting: which of its parties disagree, about what, at which level. */
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
    levels: ESCALATION_LEVELS.map((value) => ({ title: sv.disagreement.level[value], value })),
    v: { parties: values.parties ?? '', question: values.question ?? '', level: values.level ?? 'management' },
  });
}

export interface DisagreementCardData {
  t: typeof sv.disagreement;
  title: string;
  facts: { title: string; value: string }[];
  note: string;
  error: string;
  side: 'forum' | 'meeting';
  status: Disagreement['status'];
  level: Disagreement['level'];
  municipality: string;
  id: string;
  noIdentifyingText: string;
}

/** The disagreement as the forum and the meeting's thread see it; only the forum's copy has actions. */
export function disagreementCard(disagreement: Disagreement, side: 'forum' | 'meeting', error = '', note = ''): AdaptiveCardJson {
  const f = sv.disagreement.facts;
  const facts = [
    { title: f.caseReference, value: disagreement.caseReference },
    { title: f.parties, value: disagreement.parties.map((p) => sv.party[p]).join(', ') },
    { title: f.question, value: disagreement.question },
    { title: f.level, value: sv.disagreement.level[disagreement.level] },
    { title: f.status, value: sv.disagreement.status[disagreement.status] },
    ...(disagreement.resolution ? [{ title: f.resolution, value: disagreement.resolution.text }] : []),
  ];
  return renderCard<DisagreementCardData>('disagreement', {
    t: sv.disagreement,
    title: sv.disagreement.title(disagreement.reference),
    facts,
    note,
    error,
    side,
    status: disagreement.status,
    level: disagreement.level,
    municipality: disagreement.municipality,
    id: disagreement.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
}
