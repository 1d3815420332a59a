import { timesAfterDeadline } from '../domain/intake';
import { ageBand, candidateTimes, waitingFor, type RecordedAnswer, type SummonableParty } from '../domain/meeting';
import { CLOSING_REASONS, type Meeting } from '../store/meetingRepository';
import { formatDate, formatInstant, formatLocalDateTime } from '../texts/format';
import { sv } from '../texts/sv';
import type { Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

type Fact = { title: string; value: string };
type Color = 'Default' | 'Good' | 'Attention' | 'Warning';

function facts(meeting: Meeting): Fact[] {
  const { intake } = meeting;
  return [
    { title: sv.meeting.caseReference, value: intake.caseReference },
    { title: sv.meeting.convener, value: `${sv.party[intake.convener]}, ${intake.municipality}` },
    { title: sv.meeting.purpose, value: intake.purpose },
    { title: sv.meeting.urgent, value: intake.urgent ? sv.meeting.yes : sv.meeting.no },
    { title: sv.meeting.young, value: sv.meeting.youngDescription(ageBand(intake.age), sv.gender[intake.gender]) },
    { title: sv.meeting.times, value: intake.proposedTimes.map(formatLocalDateTime).join('; ') },
    { title: sv.meeting.place, value: intake.place },
    { title: sv.meeting.replyBy, value: formatDate(meeting.deadlines.replyBy) },
  ];
}

function answerText(answer: RecordedAnswer): string {
  switch (answer.kind) {
    case 'attend':
      return sv.meeting.attending(answer.participant, formatLocalDateTime(answer.time));
    case 'propose':
      return sv.meeting.proposing(formatLocalDateTime(answer.time)) + (answer.comment ? ` (${answer.comment})` : '');
    case 'decline':
      return sv.meeting.declining(answer.reason);
  }
}

function meetingOutcome(meeting: Meeting): { text: string; color: Color } | undefined {
  if (meeting.state === 'fixed' && meeting.fixedTime) return { text: sv.meeting.fixed(formatLocalDateTime(meeting.fixedTime)), color: 'Good' };
  if (meeting.state === 'cancelled') return { text: sv.meeting.cancelled(meeting.cancellation?.reason ?? ''), color: 'Attention' };
  return undefined;
}

export interface SummonsCardData {
  t: typeof sv.meeting;
  title: string;
  intro: string;
  facts: Fact[];
  note: string;
  status: string;
  statusColor: Color;
  statusDetail: string;
  error: string;
  canAnswer: boolean;
  times: Choice[];
  firstTime: string;
  meetingId: string;
  party: SummonableParty;
  noIdentifyingText: string;
}

/** The summons card (kallelse) in one party's thread: the meeting, that party's answer, and the answer buttons. */
export function summonsCard(meeting: Meeting, party: SummonableParty, error = ''): AdaptiveCardJson {
  const answer = meeting.answers[party];
  const outcome = meetingOutcome(meeting);
  return renderCard<SummonsCardData>('summons', {
    t: sv.meeting,
    title: sv.meeting.summonsTitle(meeting.intake.caseReference),
    intro: sv.meeting.summonsIntro(
      sv.party[meeting.intake.convener],
      meeting.intake.municipality,
      [meeting.createdBy.name, meeting.createdBy.organisation].filter(Boolean).join(', '),
    ),
    facts: facts(meeting),
    note: meeting.intake.placedOutsideHome ? sv.meeting.placedOutsideHome : '',
    status: outcome?.text ?? (answer ? answerText(answer) : sv.meeting.waiting),
    statusColor: outcome?.color ?? (answer ? 'Good' : 'Warning'),
    statusDetail: answer ? sv.meeting.answeredBy(answer.by.name ?? sv.party[party], formatInstant(answer.at)) : '',
    error,
    canAnswer: meeting.state === 'summoning',
    times: meeting.intake.proposedTimes.map((value) => ({ title: formatLocalDateTime(value), value })),
    firstTime: meeting.intake.proposedTimes[0],
    meetingId: meeting.id,
    party,
    noIdentifyingText: sv.noIdentifyingText,
  });
}

export interface StatusCardData {
  t: typeof sv.meeting;
  title: string;
  facts: Fact[];
  deadlines: string;
  parties: { party: string; answer: string; color: Color; detail: string }[];
  summary: string;
  summaryColor: Color;
  error: string;
  canFix: boolean;
  canCancel: boolean;
  canClose: boolean;
  closingReasons: Choice[];
  /** The summoned parties, for withdrawing consent for some of them. */
  summonedChoices: Choice[];
  candidates: Choice[];
  firstCandidate: string;
  meetingId: string;
  noIdentifyingText: string;
}

function partyRow(meeting: Meeting, party: SummonableParty): StatusCardData['parties'][number] {
  const answer = meeting.answers[party];
  const delivery = meeting.summons[party];
  if (answer) {
    return {
      party: sv.party[party],
      answer: answerText(answer),
      color: answer.kind === 'decline' ? 'Attention' : 'Good',
      detail: sv.meeting.answeredBy(answer.by.name ?? sv.party[party], formatInstant(answer.at)),
    };
  }
  if (delivery?.failed) return { party: sv.party[party], answer: sv.meeting.sendFailed, color: 'Attention', detail: '' };
  if (!delivery?.sentAt) return { party: sv.party[party], answer: sv.meeting.sending, color: 'Default', detail: '' };
  return { party: sv.party[party], answer: sv.meeting.waiting, color: 'Warning', detail: '' };
}

/** "Kallelse senast 9 mars … Möte senast 16 mars …", with proposed times after the deadline named. */
export function deadlineText(intake: Pick<Meeting['intake'], 'urgent' | 'proposedTimes'>, deadlines: { summonsDue: string; meetingDue: string }): string {
  const base = intake.urgent
    ? sv.intake.deadlinesUrgent(formatDate(deadlines.summonsDue))
    : sv.intake.deadlines(formatDate(deadlines.summonsDue), formatDate(deadlines.meetingDue));
  const late = timesAfterDeadline(intake.proposedTimes, deadlines.meetingDue);
  return late.length ? `${base} ${late.map(formatLocalDateTime).join(', ')}: ${sv.intake.afterDeadline}.` : base;
}

/** The convener's status card: per party the answer and chosen time, what is missing, and "Bekräfta mötet". */
export function statusCard(meeting: Meeting, error = ''): AdaptiveCardJson {
  const waiting = waitingFor(meeting);
  const outcome = meetingOutcome(meeting);
  const candidates = candidateTimes(meeting);
  const closed = meeting.closure ? sv.meeting.closed(sv.meeting.closingReason[meeting.closure.reason]) : undefined;
  const summary = closed ?? outcome?.text ?? (waiting.length ? sv.meeting.missing(waiting.map((p) => sv.party[p]).join(', ')) : sv.meeting.allAnswered);
  return renderCard<StatusCardData>('status', {
    t: sv.meeting,
    title: sv.meeting.statusTitle(meeting.intake.caseReference),
    facts: facts(meeting),
    deadlines: deadlineText(meeting.intake, meeting.deadlines),
    parties: meeting.intake.summoned.map((party) => partyRow(meeting, party)),
    summary,
    summaryColor: outcome?.color ?? (waiting.length ? 'Warning' : 'Good'),
    error,
    canFix: meeting.state === 'summoning' && waiting.length === 0,
    canCancel: meeting.state !== 'cancelled' && !meeting.closure,
    canClose: meeting.state === 'fixed' && !meeting.closure,
    closingReasons: CLOSING_REASONS.map((value) => ({ title: sv.meeting.closingReason[value], value })),
    summonedChoices: meeting.intake.summoned.map((value) => ({ title: sv.party[value], value })),
    candidates: candidates.map((value) => ({ title: formatLocalDateTime(value), value })),
    firstCandidate: candidates[0] ?? '',
    meetingId: meeting.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
}
