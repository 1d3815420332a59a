import { timesAfterDeadline } from '../domain/intake';
import { dateInStockholm } from '../domain/calendar';
import { ageBand, attendingParties, availability, unsummonedParties, fitsParty, unconfirmedParties, waitingFor, type RecordedAnswer, type SummonableParty } from '../domain/meeting';
import { CLOSING_REASONS, type Meeting } from '../store/meetingRepository';
import { formatDate, formatInstant, formatLocalDateTime } from '../texts/format';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { partiesOf } from './planCard';
import { viewersOf, withRefresh } from './refresh';
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
      return sv.meeting.attending(answer.participant, answer.times.map(formatLocalDateTime).join(sv.meeting.orTimes));
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
  /** The party's own answer, kept visible once the meeting is fixed or cancelled. */
  ownAnswer: string;
  /** "Ny tid: passar den?" about the fixed time, while this party has not said it fits. */
  askTime: boolean;
  askText: string;
  askState: string;
  fixedTime: string;
  error: string;
  canAnswer: boolean;
  times: Choice[];
  meetingId: string;
  party: SummonableParty;
  noIdentifyingText: string;
}

function partyNames(parties: SummonableParty[]): string {
  return parties.map((p) => sv.party[p]).join(', ');
}

/** The summons card (kallelse) in one party's thread: the meeting, that party's answer, and the answer buttons. */
export function summonsCard(meeting: Meeting, party: SummonableParty, error = ''): AdaptiveCardJson {
  const answer = meeting.answers[party];
  const outcome = meetingOutcome(meeting);
  const asked = unconfirmedParties(meeting).find((p) => p.party === party);
  const fixedTime = meeting.fixedTime ? formatLocalDateTime(meeting.fixedTime) : '';
  const card = renderCard<SummonsCardData>('summons', {
    t: sv.meeting,
    title: sv.meeting.summonsTitle(meeting.intake.caseReference),
    intro: sv.meeting.summonsIntro(
      sv.party[meeting.intake.convener],
      meeting.intake.municipality,
      meeting.createdBy.name,
      meeting.createdBy.organisation,
    ),
    facts: facts(meeting),
    note: meeting.intake.placedOutsideHome ? sv.meeting.placedOutsideHome : '',
    status: outcome?.text ?? (answer ? answerText(answer) : sv.meeting.waiting),
    statusColor: outcome?.color ?? (answer ? 'Good' : 'Warning'),
    statusDetail: answer && !outcome ? sv.meeting.answeredBy(answer.by.name ?? sv.party[party], formatInstant(answer.at)) : '',
    ownAnswer: answer && outcome ? `${sv.meeting.ownAnswer(answerText(answer))} ${sv.meeting.answeredBy(answer.by.name ?? sv.party[party], formatInstant(answer.at))}` : '',
    askTime: Boolean(asked) && meeting.state === 'fixed',
    askText: sv.meeting.askTime(fixedTime),
    askState: asked?.fits === false ? sv.meeting.saidNotFit(fixedTime) : '',
    fixedTime: meeting.fixedTime ?? '',
    error,
    canAnswer: meeting.state === 'summoning',
    times: meeting.intake.proposedTimes.map((value) => ({ title: formatLocalDateTime(value), value })),
    meetingId: meeting.id,
    party,
    noIdentifyingText: sv.noIdentifyingText,
  });
  return withRefresh(card, meeting.id, { view: 'summons', party }, viewersOf(meeting, party));
}

export interface StatusCardData {
  t: typeof sv.meeting;
  title: string;
  facts: Fact[];
  deadlines: string;
  parties: { party: string; value: SummonableParty; answer: string; color: Color; detail: string; timeNote: string; timeColor: Color; canResummon: boolean }[];
  /** Commitments typed in the threads without @Norrbus are read (the line and the button to turn it off or on). */
  listening: boolean;
  listeningText: string;
  canListen: boolean;
  /** "Kalla fler parter": the parties not summoned yet. */
  addable: Choice[];
  /** Per candidate time, which parties can come (while summoning). */
  availability: Fact[];
  summary: string;
  /** A second line under the summary: who has not confirmed the fixed time, or the exceptional fix. */
  notice: string;
  summaryColor: Color;
  error: string;
  canFix: boolean;
  /** Fixed, not closed: the meeting can be moved to another time. */
  canMove: boolean;
  canCancel: boolean;
  canClose: boolean;
  closingReasons: Choice[];
  /** The summoned parties, for withdrawing consent for some of them. */
  summonedChoices: Choice[];
  candidates: Choice[];
  firstCandidate: string;
  /** "Mötet hölls": the form (fixed, not closed) and what was recorded. */
  held: {
    can: boolean;
    summary: string;
    parties: Choice[];
    partiesValue: string;
    youngPersonValue: string;
    /** The guardians are asked about only when the young person is under 18. */
    guardiansApply: boolean;
    guardianChoices: Choice[];
    guardian1Label: string;
    guardian2Label: string;
    guardian1Value: string;
    guardian2Value: string;
    viewRecordedValue: string;
  };
  meetingId: string;
  noIdentifyingText: string;
}

/** What "Mötet hölls" recorded, in one line; "" until it is recorded. */
function heldSummary(meeting: Meeting): string {
  const held = meeting.held;
  if (!held) return '';
  const yesNo = (v: boolean) => (v ? sv.meeting.yes : sv.meeting.no).toLowerCase();
  const guardians = held.guardians.length === 0
    ? meeting.intake.age >= 18 ? sv.meeting.heldGuardiansAdult : sv.meeting.heldGuardiansNone
    : sv.meeting.heldGuardiansTook(held.guardians.filter(Boolean).length, held.guardians.length);
  return sv.meeting.heldSummary(partyNames(held.parties), yesNo(held.youngPerson), guardians, yesNo(held.viewRecorded));
}

function heldForm(meeting: Meeting): StatusCardData['held'] {
  const held = meeting.held;
  const guardianValue = (i: number) => (held ? (held.guardians[i] === undefined ? 'none' : held.guardians[i] ? 'yes' : 'no') : '');
  return {
    can: meeting.state === 'fixed' && !meeting.closure,
    summary: heldSummary(meeting),
    parties: partyChoices(partiesOf(meeting)),
    partiesValue: (held?.parties ?? [meeting.intake.convener, ...attendingParties(meeting)]).join(','),
    youngPersonValue: String(Boolean(held?.youngPerson)),
    guardiansApply: meeting.intake.age < 18,
    guardianChoices: (['yes', 'no', 'none'] as const).map((value) => ({ title: sv.meeting.guardianAnswer[value], value })),
    guardian1Label: sv.meeting.heldGuardian(1),
    guardian2Label: sv.meeting.heldGuardian(2),
    guardian1Value: guardianValue(0),
    guardian2Value: guardianValue(1),
    viewRecordedValue: String(Boolean(held?.viewRecorded)),
  };
}

function partyRow(meeting: Meeting, party: SummonableParty): StatusCardData['parties'][number] {
  const answer = meeting.answers[party];
  const delivery = meeting.summons[party];
  const canResummon = answer?.kind === 'decline' && meeting.state !== 'cancelled' && !meeting.closure;
  const row = (answerText: string, color: Color, detail = '') => ({ party: sv.party[party], value: party, answer: answerText, color, detail, canResummon, ...fixedTimeNote(meeting, party) });
  if (answer) {
    return row(answerText(answer), answer.kind === 'decline' ? 'Attention' : 'Good', sv.meeting.answeredBy(answer.by.name ?? sv.party[party], formatInstant(answer.at)));
  }
  if (delivery?.failed) return row(sv.meeting.sendFailed, 'Attention');
  if (!delivery?.sentAt) return row(sv.meeting.sending, 'Default');
  return row(sv.meeting.waiting, 'Warning');
}

/** Once fixed: whether the fixed time suits the party. */
function fixedTimeNote(meeting: Meeting, party: SummonableParty): { timeNote: string; timeColor: Color } {
  if (meeting.state !== 'fixed' || !meeting.fixedTime || meeting.answers[party]?.kind === 'decline') return { timeNote: '', timeColor: 'Default' };
  const fits = fitsParty(meeting, party, meeting.fixedTime);
  if (fits === true) return { timeNote: sv.meeting.fixedTimeFits, timeColor: 'Good' };
  if (fits === false) return { timeNote: sv.meeting.fixedTimeNotFit, timeColor: 'Attention' };
  return { timeNote: sv.meeting.fixedTimeOpen, timeColor: 'Warning' };
}

/** "Kallelse senast 9 mars … Möte senast 16 mars …", with proposed times after the deadline named. */
export function deadlineText(intake: Pick<Meeting['intake'], 'urgent' | 'proposedTimes'>, deadlines: { summonsDue: string; meetingDue: string }): string {
  const base = intake.urgent
    ? sv.intake.deadlinesUrgent(formatDate(deadlines.summonsDue), formatDate(deadlines.meetingDue))
    : sv.intake.deadlines(formatDate(deadlines.summonsDue), formatDate(deadlines.meetingDue));
  const late = timesAfterDeadline(intake.proposedTimes, deadlines.meetingDue);
  return late.length ? `${base} ${late.map(formatLocalDateTime).join(', ')}: ${sv.intake.afterDeadline}.` : base;
}

/** The convener's status card: per party the answer, who can come when, what is missing, and "Bekräfta mötet". */
export function statusCard(meeting: Meeting, error = '', now?: Date): AdaptiveCardJson {
  const waiting = waitingFor(meeting);
  const outcome = meetingOutcome(meeting);
  const times = availability(meeting);
  const summoning = meeting.state === 'summoning';
  // From the reply-by day on, the convener may fix the meeting without a party that has not answered.
  const withoutSilent = summoning && waiting.length > 0 && now !== undefined && dateInStockholm(now) >= meeting.deadlines.replyBy;
  const closed = meeting.closure ? sv.meeting.closed(sv.meeting.closingReason[meeting.closure.reason]) : undefined;
  const common = times.some((t) => t.all);
  const summary =
    closed ?? outcome?.text ?? (waiting.length ? sv.meeting.missing(partyNames(waiting)) : common ? sv.meeting.allAnswered : sv.meeting.noCommonTime);
  const unconfirmed = meeting.closure ? [] : unconfirmedParties(meeting);
  const notFit = unconfirmed.filter((p) => p.fits === false).map((p) => p.party);
  const open = unconfirmed.filter((p) => p.fits === undefined).map((p) => p.party);
  const notice = withoutSilent
    ? sv.meeting.withoutSilent(partyNames(waiting))
    : [notFit.length ? sv.meeting.fixedNotFit(partyNames(notFit)) : '', open.length ? sv.meeting.fixedOpen(partyNames(open)) : ''].filter(Boolean).join(' ');
  const attending = attendingParties(meeting);
  const candidates = times.map(({ time, fits, all }) => {
    const title = formatLocalDateTime(time);
    return { title: all ? sv.meeting.choiceFitsAll(title) : sv.meeting.choiceFitsNot(title, partyNames(attending.filter((p) => !fits.includes(p)))), value: time };
  });
  const card = renderCard<StatusCardData>('status', {
    t: sv.meeting,
    title: sv.meeting.statusTitle(meeting.intake.caseReference),
    facts: facts(meeting),
    deadlines: deadlineText(meeting.intake, meeting.deadlines),
    parties: meeting.intake.summoned.map((party) => partyRow(meeting, party)),
    listening: meeting.listening !== false,
    listeningText: meeting.listening === false ? sv.meeting.listeningOffText : sv.meeting.listeningOnText,
    canListen: meeting.state !== 'cancelled' && !meeting.closure,
    addable: meeting.state === 'cancelled' || meeting.closure ? [] : partyChoices(unsummonedParties(meeting)),
    // Who can come when, once anyone has answered.
    availability: summoning && Object.keys(meeting.answers).length > 0
      ? times.map(({ time, fits, all }) => ({
          title: formatLocalDateTime(time),
          value: all && fits.length ? sv.meeting.fitsAll : fits.length ? sv.meeting.fitsSome(partyNames(fits)) : sv.meeting.fitsNone,
        }))
      : [],
    summary,
    notice,
    summaryColor: outcome?.color ?? (waiting.length || !common ? 'Warning' : 'Good'),
    error,
    canFix: summoning && (waiting.length === 0 || withoutSilent),
    canMove: meeting.state === 'fixed' && !meeting.closure,
    canCancel: meeting.state !== 'cancelled' && !meeting.closure,
    canClose: meeting.state === 'fixed' && !meeting.closure,
    closingReasons: CLOSING_REASONS.map((value) => ({ title: sv.meeting.closingReason[value], value })),
    summonedChoices: meeting.intake.summoned.map((value) => ({ title: sv.party[value], value })),
    candidates,
    firstCandidate: times.find((t) => t.all)?.time ?? '',
    held: heldForm(meeting),
    meetingId: meeting.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
  return withRefresh(card, meeting.id, { view: 'status' }, viewersOf(meeting, 'convener'));
}
