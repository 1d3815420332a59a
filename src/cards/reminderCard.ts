import { workingDaysBetween } from '../domain/calendar';
import { costSharingDue } from '../domain/plan';
import type { Reminder } from '../store/reminderRepository';
import type { Commitment } from '../store/commitmentRepository';
import { CLOSING_REASONS, type Meeting } from '../store/meetingRepository';
import { formatDate } from '../texts/format';
import { sv } from '../texts/sv';
import type { Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

export interface ReminderItem {
  kind: Reminder['kind'];
  text: string;
  detail: string;
  deviation: boolean;
  meetingId: string;
  subject: string;
}

export interface ReminderCardData {
  t: typeof sv.reminder;
  /** The texts of closing a coordination, and its reasons to choose from. */
  m: typeof sv.meeting;
  closingReasons: Choice[];
  title: string;
  noIdentifyingText: string;
  items: ReminderItem[];
}

/** The reminders that ask whether to report a deviation ("Skapa avvikelserapport"). */
export const DEVIATION_PROMPTS = ['answerDeviation', 'meetingNotFixed', 'commitmentDeviation', 'summonsNotSent', 'healthExaminationDeviation', 'costSharingDeviation'] as const;

/** The deadline a deviation prompt is about, and the deviation kind it would report. */
export function missedDeadline(meeting: Meeting, reminder: Pick<Reminder, 'kind' | 'subject'>, commitments: Commitment[]): { deadline: string; kind: keyof typeof sv.deviation.kind } | undefined {
  switch (reminder.kind) {
    case 'answerDeviation':
      return { deadline: meeting.deadlines.replyBy, kind: 'summonsNotAnswered' };
    case 'meetingNotFixed':
      return { deadline: meeting.deadlines.meetingDue, kind: 'meetingNotInTime' };
    case 'commitmentDeviation': {
      const date = commitments.find((c) => c.id === reminder.subject)?.followUpDate;
      return date ? { deadline: date, kind: 'commitmentNotDone' } : undefined;
    }
    case 'summonsNotSent':
      return { deadline: meeting.deadlines.summonsDue, kind: 'summonsNotSent' };
    case 'healthExaminationDeviation':
      return reminder.subject === meeting.plan.placement?.healthExaminationBy ? { deadline: reminder.subject, kind: 'healthExaminationNotDone' } : undefined;
    case 'costSharingDeviation': {
      const due = meeting.plan.placement ? costSharingDue(meeting.plan.placement) : undefined;
      return due && reminder.subject === due ? { deadline: due, kind: 'costSharingNotSettled' } : undefined;
    }
    default:
      return undefined;
  }
}

function itemText(meeting: Meeting, reminder: Reminder, commitments: Commitment[]): string {
  const ref = meeting.intake.caseReference;
  const commitment = commitments.find((c) => c.id === reminder.subject);
  const party = (p: string) => sv.party[p as keyof typeof sv.party] ?? p;
  switch (reminder.kind) {
    case 'summonsNotSent':
      return sv.reminder.summonsNotSent(formatDate(meeting.deadlines.summonsDue));
    case 'answerNudge':
      return sv.reminder.answerNudge(ref);
    case 'answerOverdue':
      return sv.reminder.answerOverdue(ref, formatDate(meeting.deadlines.replyBy));
    case 'answerDeviation':
      return sv.reminder.answerDeviation(party(reminder.subject), formatDate(meeting.deadlines.replyBy));
    case 'meetingNotFixed':
      return sv.reminder.meetingNotFixed(formatDate(meeting.deadlines.meetingDue));
    case 'commitmentUpcoming':
      return sv.reminder.commitmentUpcoming(commitment?.intervention ?? '', commitment?.followUpDate ? formatDate(commitment.followUpDate) : '');
    case 'commitmentCheck':
      return sv.reminder.commitmentCheck(commitment?.intervention ?? '');
    case 'commitmentDeviation':
      return sv.reminder.commitmentDeviation(commitment?.intervention ?? '', party(commitment?.party ?? ''));
    case 'followUpMeeting':
      return sv.reminder.followUpMeeting(formatDate(reminder.subject));
    case 'closeProposal':
      return sv.reminder.closeProposal(ref);
    case 'healthExaminationUpcoming':
      return sv.reminder.healthExaminationUpcoming(formatDate(reminder.subject));
    case 'healthExaminationDeviation':
      return sv.reminder.healthExaminationDeviation(formatDate(reminder.subject));
    case 'costSharingUpcoming':
      return sv.reminder.costSharingUpcoming(formatDate(reminder.subject));
    case 'costSharingDeviation':
      return sv.reminder.costSharingDeviation(formatDate(reminder.subject));
  }
}

/** One card per thread and pass, gathering every reminder due there, each with the action that resolves it. */
export function reminderCard(meeting: Meeting, reminders: Reminder[], commitments: Commitment[], today: string): AdaptiveCardJson {
  const items = reminders.map((reminder): ReminderItem => {
    const missed = missedDeadline(meeting, reminder, commitments);
    const late = missed ? Math.max(0, workingDaysBetween(missed.deadline, today)) : 0;
    return {
      kind: reminder.kind,
      text: itemText(meeting, reminder, commitments),
      detail: missed && late > 0 ? `${sv.deviation.kind[missed.kind]} · ${sv.reminder.daysLate(late)}` : '',
      deviation: (DEVIATION_PROMPTS as readonly string[]).includes(reminder.kind),
      meetingId: meeting.id,
      subject: reminder.subject,
    };
  });
  const closingReasons = CLOSING_REASONS.map((value) => ({ title: sv.meeting.closingReason[value], value }));
  return renderCard<ReminderCardData>('reminder', { t: sv.reminder, m: sv.meeting, closingReasons, title: sv.reminder.title(meeting.intake.caseReference), noIdentifyingText: sv.noIdentifyingText, items });
}
