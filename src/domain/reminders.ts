import { DateTime } from 'luxon';
import { addWorkingDays, isWorkingDay, type IsoDate, ZONE } from './calendar';
import type { SummonableParty } from './meeting';
import { placementStepParty, type PlacementStep } from './plan';

/** What a reminder is about; each kind has its own rule for when it is due and whether it still is. */
export const REMINDER_KINDS = [
  'summonsNotSent', // the summons has not gone out 3 and 5 working days after consent → convener
  'answerNudge', // a party has not answered 2 working days after the summons → its thread
  'answerOverdue', // the reply-by date has passed without an answer → its thread
  'answerDeviation', // … and the convener is told, with a deviation prompt
  'meetingNotFixed', // the meeting is not fixed by its deadline → convener, deviation prompt
  'commitmentUpcoming', // 3 working days before a commitment's follow-up → the responsible party
  'commitmentCheck', // on the follow-up day: "Är insatsen genomförd?" → the responsible party
  'commitmentDeviation', // not done, or no answer within 5 working days → convener and party
  'followUpMeeting', // 10 working days before the follow-up meeting → whoever convenes it
  'closeProposal', // a held meeting with no follow-up meeting and nothing left to follow up, CLOSE_PROPOSAL_AFTER working days on → convener
  'healthExaminationUpcoming', // 3 working days before the health examination is due (placement) → primärvård
  'healthExaminationDeviation', // not done by its day → convener, deviation prompt
  'costSharingUpcoming', // 3 working days before the cost sharing of an acute placement is due → social services
  'costSharingDeviation', // not settled within 10 working days of the decision → convener, deviation prompt
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export type Thread = 'convener' | SummonableParty;

/** One reminder as planned: where it goes, on which day, and what it is about. */
export interface PlannedReminder {
  kind: ReminderKind;
  thread: Thread;
  /** The working day it is due (posted from the start of that day's window). */
  dueDate: IsoDate;
  /** The party or commitment it concerns, to tell reminders of one kind apart. */
  subject: string;
}

/** The facts of a meeting that reminders depend on; the planner reads nothing else. */
export interface ReminderFacts {
  state: 'summoning' | 'fixed' | 'cancelled';
  urgent: boolean;
  consentDate: IsoDate;
  summonsDate: IsoDate;
  replyBy: IsoDate;
  meetingDue: IsoDate;
  convener: SummonableParty;
  summoned: { party: SummonableParty; sent: boolean; answered: boolean }[];
  commitments: { id: string; party: SummonableParty; followUpDate?: IsoDate; status: 'planned' | 'started' | 'done' | 'withdrawn'; outcome?: 'done' | 'ongoing' | 'notDone' }[];
  followUp?: { date: IsoDate; convener: SummonableParty };
  /** The fixed meeting's day. */
  meetingDate?: IsoDate;
  /** A placement outside the home: the health examination's and the cost sharing's due days, and whether each is done. */
  placement?: { healthExaminationBy?: IsoDate; healthExaminationDone: boolean; costSharingDue?: IsoDate; costSharingSettled: boolean };
}

/**
 * Working days without anything left to follow up (after the meeting, and the last commitment's
 * follow-up day) before the convener is asked whether to close the coordination: about two months.
 */
export const CLOSE_PROPOSAL_AFTER = 40;

/** Working days after the follow-up day with no answer before the convener is prompted. */
export const COMMITMENT_ANSWER_WITHIN = 5;

/**
 * Every reminder a meeting should have, given its facts. Rules of DESIGN.md and the 2013 agreement:
 * deadlines in working days, Europe/Stockholm. The planner is total: it returns the full set, and
 * the store reconciles (adds what is new, drops what is gone), so planning twice changes nothing.
 */
export function planReminders(facts: ReminderFacts): PlannedReminder[] {
  if (facts.state === 'cancelled') return [];
  const out: PlannedReminder[] = [];
  const convener: Thread = 'convener';
  // The convening party's window onto the meeting is the convener's thread.
  const threadOf = (party: SummonableParty): Thread => (party === facts.convener ? convener : party);
  // A placement step goes to the party that marks it done (the convener's, when that party is not in the meeting).
  const stepThread = (step: PlacementStep): Thread => threadOf(placementStepParty([facts.convener, ...facts.summoned.map((s) => s.party)], facts.convener, step));
  if (facts.state === 'summoning') {
    if (facts.summoned.some((s) => !s.sent)) {
      out.push({ kind: 'summonsNotSent', thread: convener, dueDate: addWorkingDays(facts.consentDate, 3), subject: 'day3' });
      out.push({ kind: 'summonsNotSent', thread: convener, dueDate: addWorkingDays(facts.consentDate, 5), subject: 'day5' });
    }
    for (const s of facts.summoned.filter((x) => !x.answered)) {
      out.push({ kind: 'answerNudge', thread: s.party, dueDate: addWorkingDays(facts.summonsDate, 2), subject: s.party });
      const overdue = addWorkingDays(facts.replyBy, 1);
      out.push({ kind: 'answerOverdue', thread: s.party, dueDate: overdue, subject: s.party });
      out.push({ kind: 'answerDeviation', thread: convener, dueDate: overdue, subject: s.party });
    }
    out.push({ kind: 'meetingNotFixed', thread: convener, dueDate: addWorkingDays(facts.meetingDue, 1), subject: 'meeting' });
  } else {
    // Fixed without a party that never answered (the exceptional meeting): the convener is still prompted to report it.
    for (const s of facts.summoned.filter((x) => !x.answered)) {
      out.push({ kind: 'answerDeviation', thread: convener, dueDate: addWorkingDays(facts.replyBy, 1), subject: s.party });
    }
  }
  for (const c of facts.commitments) {
    if (!c.followUpDate || c.status === 'withdrawn' || c.status === 'done' || c.outcome === 'done') continue;
    const day = isWorkingDay(c.followUpDate) ? c.followUpDate : addWorkingDays(c.followUpDate, 1);
    if (!c.outcome) {
      out.push({ kind: 'commitmentUpcoming', thread: threadOf(c.party), dueDate: addWorkingDays(day, -3), subject: c.id });
      out.push({ kind: 'commitmentCheck', thread: threadOf(c.party), dueDate: day, subject: c.id });
    }
    if (c.outcome !== 'ongoing') {
      const due = c.outcome === 'notDone' ? day : addWorkingDays(day, COMMITMENT_ANSWER_WITHIN);
      out.push({ kind: 'commitmentDeviation', thread: convener, dueDate: due, subject: c.id });
      if (c.party !== facts.convener) out.push({ kind: 'commitmentDeviation', thread: c.party, dueDate: due, subject: c.id });
    }
  }
  const placement = facts.placement;
  if (placement?.healthExaminationBy && !placement.healthExaminationDone) {
    const due = placement.healthExaminationBy;
    out.push({ kind: 'healthExaminationUpcoming', thread: stepThread('healthExamination'), dueDate: addWorkingDays(due, -3), subject: due });
    out.push({ kind: 'healthExaminationDeviation', thread: convener, dueDate: addWorkingDays(due, 1), subject: due });
  }
  if (placement?.costSharingDue && !placement.costSharingSettled) {
    const due = placement.costSharingDue;
    out.push({ kind: 'costSharingUpcoming', thread: stepThread('costSharing'), dueDate: addWorkingDays(due, -3), subject: due });
    out.push({ kind: 'costSharingDeviation', thread: convener, dueDate: addWorkingDays(due, 1), subject: due });
  }
  if (facts.followUp) {
    out.push({ kind: 'followUpMeeting', thread: threadOf(facts.followUp.convener), dueDate: addWorkingDays(facts.followUp.date, -10), subject: facts.followUp.date });
  } else if (facts.state === 'fixed' && facts.meetingDate) {
    // The last day anything is due: the meeting, or the latest follow-up of a commitment still open.
    const open = facts.commitments.filter((c) => c.status !== 'withdrawn' && c.followUpDate).map((c) => c.followUpDate!);
    const last = [facts.meetingDate, ...open].sort().at(-1)!;
    out.push({ kind: 'closeProposal', thread: convener, dueDate: addWorkingDays(last, CLOSE_PROPOSAL_AFTER), subject: 'close' });
  }
  return out;
}

/** The hours (Europe/Stockholm) within which reminders are posted on working days. */
export interface PostingWindow {
  startHour: number;
  endHour: number;
}

/** True when the instant is on a working day within the posting window. */
export function inPostingWindow(at: Date, window: PostingWindow): boolean {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  return isWorkingDay(local.toISODate()!) && local.hour >= window.startHour && local.hour < window.endHour;
}
