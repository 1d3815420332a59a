import type { IsoDate } from './calendar';
import type { Municipality } from './municipality';

/** The three parties that convene a Norrbusmöte (kallande part); a follow-up meeting is convened by whichever party the meeting named. */
export const CONVENING_PARTIES = ['skola', 'socialtjanst', 'primarvard'] as const;
/** Who can be summoned: the three, and specialist care. */
export const SUMMONABLE_PARTIES = ['skola', 'socialtjanst', 'primarvard', 'specialistvard'] as const;
export const GENDERS = ['flicka', 'pojke', 'annan', 'ej_angivet'] as const;
/** Whose consent (samtycke) was given. */
export const CONSENT_GIVERS = ['ungdomen', 'vardnadshavare'] as const;

export type ConveningParty = (typeof CONVENING_PARTIES)[number];
export type SummonableParty = (typeof SUMMONABLE_PARTIES)[number];
export type Gender = (typeof GENDERS)[number];
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];
/** A local time in Europe/Stockholm, `yyyy-MM-ddTHH:mm`. */
export type LocalDateTime = string;

/** What the convener states when starting a Norrbusmöte. Nothing here identifies the young person. */
export interface Intake {
  municipality: Municipality;
  /** One of the three for a first meeting; any party the first meeting named for a follow-up meeting. */
  convener: SummonableParty;
  summoned: SummonableParty[];
  caseReference: string;
  age: number;
  gender: Gender;
  purpose: string;
  urgent: boolean;
  consent: { date: IsoDate; from: ConsentGiver[]; parties: SummonableParty[] };
  proposedTimes: LocalDateTime[];
  place: string;
  placedOutsideHome: boolean;
}

/** A party's answer to its summons (kallelse). */
export type Answer =
  | { kind: 'attend'; participant: string; /** Every proposed time the party can come (at least one). */ times: LocalDateTime[] }
  | { kind: 'propose'; time: LocalDateTime; comment: string }
  | { kind: 'decline'; reason: string };

/** A professional acting in Teams (never the young person). */
export interface Actor {
  /** Teams user id */
  id: string;
  aadObjectId?: string;
  /** Display name, shown as "answered by" on the cards. */
  name?: string;
}

export type RecordedAnswer = Answer & { by: Actor; at: string };

/** A party's answer to "Ny tid: passar den?" about a time the convener fixed. */
export interface TimeAnswer {
  time: LocalDateTime;
  fits: boolean;
  by: Actor;
  at: string;
}

export type MeetingState = 'summoning' | 'fixed' | 'cancelled';

/** The age bands used on cards and in the follow-up. */
export function ageBand(age: number): string {
  if (age <= 5) return '0–5';
  if (age <= 12) return '6–12';
  if (age <= 15) return '13–15';
  if (age <= 18) return '16–18';
  return '19–20';
}

function sameAnswer(a: Answer, b: Answer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type AnswerRefusal = 'notSummoned' | 'alreadyFixed' | 'cancelled' | 'unknownTime';

export interface MeetingCore {
  state: MeetingState;
  intake: Intake;
  answers: Partial<Record<SummonableParty, RecordedAnswer>>;
  /** Answers to "Ny tid: passar den?" about the fixed time, per party. */
  timeAnswers?: Partial<Record<SummonableParty, TimeAnswer>>;
  fixedTime?: LocalDateTime;
}

/**
 * Records a party's answer. A party can change its answer until the meeting is fixed; the same
 * answer twice (a double click, a retried invoke) changes nothing.
 */
export function answerSummons<M extends MeetingCore>(
  meeting: M,
  party: SummonableParty,
  answer: Answer,
  by: Actor,
  at: string,
): { ok: true; meeting: M; changed: boolean } | { ok: false; refusal: AnswerRefusal } {
  if (!meeting.intake.summoned.includes(party)) return { ok: false, refusal: 'notSummoned' };
  if (meeting.state === 'cancelled') return { ok: false, refusal: 'cancelled' };
  if (meeting.state === 'fixed') return { ok: false, refusal: 'alreadyFixed' };
  if (answer.kind === 'attend' && (answer.times.length === 0 || answer.times.some((t) => !meeting.intake.proposedTimes.includes(t)))) {
    return { ok: false, refusal: 'unknownTime' };
  }
  const previous = meeting.answers[party];
  if (previous && sameAnswer(stripRecord(previous), answer)) return { ok: true, meeting, changed: false };
  return { ok: true, meeting: { ...meeting, answers: { ...meeting.answers, [party]: { ...answer, by, at } } }, changed: true };
}

function stripRecord(recorded: RecordedAnswer): Answer {
  const { by: _by, at: _at, ...answer } = recorded;
  return answer as Answer;
}

/** The parties that have not answered yet. */
export function waitingFor(meeting: MeetingCore): SummonableParty[] {
  return meeting.intake.summoned.filter((p) => !meeting.answers[p]);
}

/** The times the convener can fix: those proposed, and those the parties proposed instead. */
export function candidateTimes(meeting: MeetingCore): LocalDateTime[] {
  const proposedByParties = Object.values(meeting.answers)
    .filter((a): a is RecordedAnswer & { kind: 'propose' } => a?.kind === 'propose')
    .map((a) => a.time);
  return [...new Set([...meeting.intake.proposedTimes, ...proposedByParties])].sort();
}

/** The parties that could still be summoned: neither the convener nor summoned already. */
export function unsummonedParties(meeting: MeetingCore): SummonableParty[] {
  return SUMMONABLE_PARTIES.filter((p) => p !== meeting.intake.convener && !meeting.intake.summoned.includes(p));
}

/** The summoned parties expected at the meeting: all but those that declined. */
export function attendingParties(meeting: MeetingCore): SummonableParty[] {
  return meeting.intake.summoned.filter((p) => meeting.answers[p]?.kind !== 'decline');
}

/**
 * Whether a party can come at a time: yes when it chose that time or proposed it, or said so to
 * "Ny tid: passar den?"; no when it said it does not fit or declined; undefined when it has not said.
 */
export function fitsParty(meeting: MeetingCore, party: SummonableParty, time: LocalDateTime): boolean | undefined {
  const asked = meeting.timeAnswers?.[party];
  if (asked?.time === time) return asked.fits;
  const answer = meeting.answers[party];
  if (!answer) return undefined;
  if (answer.kind === 'decline') return false;
  if (answer.kind === 'attend' ? answer.times.includes(time) : answer.time === time) return true;
  return undefined;
}

/** Per candidate time, the attending parties that can come then. */
export function availability(meeting: MeetingCore): { time: LocalDateTime; fits: SummonableParty[]; all: boolean }[] {
  const attending = attendingParties(meeting);
  return candidateTimes(meeting).map((time) => {
    const fits = attending.filter((p) => fitsParty(meeting, p, time) === true);
    return { time, fits, all: fits.length === attending.length };
  });
}

/** Once fixed: the attending parties that have not (yet) said the fixed time suits them, with their answer if any. */
export function unconfirmedParties(meeting: MeetingCore): { party: SummonableParty; fits: boolean | undefined }[] {
  if (meeting.state !== 'fixed' || !meeting.fixedTime) return [];
  const time = meeting.fixedTime;
  return attendingParties(meeting)
    .map((party) => ({ party, fits: fitsParty(meeting, party, time) }))
    .filter((p) => p.fits !== true);
}

export type FixRefusal = 'notAllAnswered' | 'cancelled' | 'unknownTime' | 'closed';

/**
 * "Bekräfta mötet": fixes the time once every party has answered, or from the reply-by day on
 * without a party that has not answered (the exceptional meeting without it). The time is a
 * candidate or another one the convener sets (`other`); a fixed meeting can be moved to another
 * time. Every attending party that has not said the time suits it is asked "Ny tid: passar den?".
 * Fixing the same time again changes nothing.
 */
export function fixMeeting<M extends MeetingCore>(
  meeting: M,
  time: LocalDateTime,
  options: { today: IsoDate; replyBy: IsoDate; other?: boolean; closed?: boolean },
): { ok: true; meeting: M; changed: boolean } | { ok: false; refusal: FixRefusal } {
  if (meeting.state === 'cancelled') return { ok: false, refusal: 'cancelled' };
  if (options.closed) return { ok: false, refusal: 'closed' };
  if (meeting.state === 'fixed' && meeting.fixedTime === time) return { ok: true, meeting, changed: false };
  if (meeting.state === 'summoning' && waitingFor(meeting).length > 0 && options.today < options.replyBy) return { ok: false, refusal: 'notAllAnswered' };
  if (!options.other && !candidateTimes(meeting).includes(time)) return { ok: false, refusal: 'unknownTime' };
  return { ok: true, meeting: { ...meeting, state: 'fixed', fixedTime: time }, changed: true };
}

export type TimeAnswerRefusal = 'notFixed' | 'cancelled' | 'notAsked' | 'staleTime';

/** A party's answer to "Ny tid: passar den?" about the fixed time; the same answer twice changes nothing. */
export function answerFixedTime<M extends MeetingCore>(
  meeting: M,
  party: SummonableParty,
  time: LocalDateTime,
  fits: boolean,
  by: Actor,
  at: string,
): { ok: true; meeting: M; changed: boolean } | { ok: false; refusal: TimeAnswerRefusal } {
  if (meeting.state === 'cancelled') return { ok: false, refusal: 'cancelled' };
  if (meeting.state !== 'fixed' || !meeting.fixedTime) return { ok: false, refusal: 'notFixed' };
  if (!attendingParties(meeting).includes(party)) return { ok: false, refusal: 'notAsked' };
  if (time !== meeting.fixedTime) return { ok: false, refusal: 'staleTime' };
  const previous = meeting.timeAnswers?.[party];
  if (previous?.time === time && previous.fits === fits) return { ok: true, meeting, changed: false };
  return { ok: true, meeting: { ...meeting, timeAnswers: { ...meeting.timeAnswers, [party]: { time, fits, by, at } } }, changed: true };
}

/** Cancels a meeting that is not already cancelled (a reason is required by the caller). */
export function cancelMeeting<M extends MeetingCore>(meeting: M): { ok: true; meeting: M; changed: boolean } {
  if (meeting.state === 'cancelled') return { ok: true, meeting, changed: false };
  return { ok: true, meeting: { ...meeting, state: 'cancelled' }, changed: true };
}
