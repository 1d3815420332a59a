import { dateInStockholm } from '../domain/calendar';
import { costSharingDue } from '../domain/plan';
import { planReminders, type PlannedReminder, type ReminderFacts } from '../domain/reminders';
import type { Commitment } from '../store/commitmentRepository';
import { AlreadyExistsError } from '../store/errors';
import type { Meeting } from '../store/meetingRepository';
import { reminderRef, type Reminder } from '../store/reminderRepository';
import type { Store } from '../store/store';

/** The facts of a stored meeting that its reminders depend on. */
export function reminderFacts(meeting: Meeting, commitments: Commitment[]): ReminderFacts {
  return {
    // A closed coordination reminds no one, as a cancelled meeting does not.
    state: meeting.closure ? 'cancelled' : meeting.state,
    urgent: meeting.intake.urgent,
    consentDate: meeting.intake.consent.date,
    summonsDate: dateInStockholm(new Date(meeting.createdAt)),
    replyBy: meeting.deadlines.replyBy,
    meetingDue: meeting.deadlines.meetingDue,
    convener: meeting.intake.convener,
    summoned: meeting.intake.summoned.map((party) => ({ party, sent: Boolean(meeting.summons[party]?.sentAt), answered: Boolean(meeting.answers[party] || meeting.timeAnswers?.[party]) })),
    commitments: commitments.map((c) => ({ id: c.id, party: c.party, followUpDate: c.followUpDate, status: c.status, outcome: c.outcome })),
    followUp: meeting.plan.followUpDate ? { date: meeting.plan.followUpDate, convener: meeting.plan.followUpConvener ?? meeting.intake.convener } : undefined,
    meetingDate: meeting.fixedTime?.slice(0, 10),
    placement: placementFacts(meeting),
  };
}

function placementFacts(meeting: Meeting): ReminderFacts['placement'] {
  const placement = meeting.plan.placement;
  if (!placement) return undefined;
  return {
    healthExaminationBy: placement.healthExaminationBy,
    healthExaminationDone: Boolean(placement.healthExaminationDoneOn),
    costSharingDue: costSharingDue(placement),
    costSharingSettled: Boolean(placement.costSharingSettledOn),
  };
}

function toReminder(meetingId: string, planned: PlannedReminder): Reminder {
  return { meetingId, ...planned, attempts: 0 };
}

/** The refs of the reminders the meeting should have now. */
export function plannedRefs(meeting: Meeting, commitments: Commitment[]): Set<string> {
  return new Set(planReminders(reminderFacts(meeting, commitments)).map((p) => reminderRef(toReminder(meeting.id, p))));
}

/**
 * Brings the meeting's stored reminders in line with its facts: adds the new, drops those no longer
 * wanted (answered, done, cancelled, moved). Safe to run any number of times, also concurrently.
 */
export async function scheduleReminders(store: Store, meetingId: string): Promise<void> {
  const stored = await store.meetings.get(meetingId);
  if (!stored) return;
  const meeting = stored.value;
  const planned = planReminders(reminderFacts(meeting, await store.commitments.forMeeting(meetingId))).map((p) => toReminder(meetingId, p));
  const wanted = new Map(planned.map((r) => [reminderRef(r), r]));
  const added = [...wanted].filter(([ref]) => !meeting.reminderRefs.includes(ref));
  const removed = new Set(meeting.reminderRefs.filter((ref) => !wanted.has(ref)));
  // Nothing new and nothing gone (the usual case after an answer): no write at all.
  if (added.length === 0 && removed.size === 0) return;
  await Promise.all(
    added.map(([, reminder]) =>
      store.reminders.create(reminder).catch((error) => {
        if (!(error instanceof AlreadyExistsError)) throw error;
      }),
    ),
  );
  await Promise.all([...removed].map((ref) => store.reminders.removeRef(ref)));
  // Merged into the refs as they are now: a concurrent reconciliation's additions are kept, so a
  // reminder it planned (and that may already have been posted) is never planned a second time.
  await store.meetings.change(meetingId, (m) => ({
    ...m,
    reminderRefs: [...new Set([...m.reminderRefs.filter((ref) => !removed.has(ref)), ...wanted.keys()])],
  }));
}
