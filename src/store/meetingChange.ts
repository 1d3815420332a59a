import type { Effect } from './effects';
import type { Meeting } from './meetingRepository';
import type { Store } from './store';
import type { Stored } from './tableRepository';

/** What a change makes of a meeting: the new meeting (undefined: leave it as it is), and what to answer. */
export interface MeetingChange<R> {
  meeting?: Meeting;
  /** Audit rows, links and reminder reconciliation the change causes: written with it. */
  effects?: Effect[];
  result: R;
}

/** Carries out effects (audit rows, links, reminders) of a meeting once they are stored; `known` is the meeting as just written. */
export type EffectRunner = (store: Store, meetingId: string, known?: Stored<Meeting>) => Promise<void>;

/**
 * One change to a meeting, the way the outbox needs it: the outbox is marked before (a crash after
 * the write still finds the new sends and effects), the meeting is written with its sends and
 * effects in one entity write (retried on an ETag conflict, with `apply` seeing the newest
 * meeting), marked again (a drain that read the first mark may have cleared it), and the effects
 * are carried out at once. Returns what is stored and the last answer of `apply`.
 */
export async function changeMeeting<R>(
  store: Store,
  meetingId: string,
  at: Date,
  apply: (current: Meeting) => MeetingChange<R>,
  runEffects: EffectRunner,
  /** The meeting as the caller just read it: the first attempt starts from it (its ETag decides). */
  known?: Stored<Meeting>,
): Promise<{ stored: Stored<Meeting> | undefined; result: R | undefined; changed: boolean }> {
  let result: R | undefined;
  let changed = false;
  await store.outbox.mark(meetingId, at);
  const stored = await store.meetings.change(meetingId, (current) => {
    const outcome = apply(current);
    result = outcome.result;
    changed = outcome.meeting !== undefined;
    if (!outcome.meeting) return undefined;
    return { ...outcome.meeting, effects: [...(outcome.meeting.effects ?? []), ...(outcome.effects ?? [])] };
  }, known);
  if (changed) {
    await store.outbox.mark(meetingId, at);
    await runEffects(store, meetingId, stored);
  }
  return { stored, result, changed };
}

/** A new meeting, written with its sends and effects, found by the outbox whatever happens next. */
export async function createMeeting(store: Store, meeting: Meeting, at: Date, runEffects: EffectRunner): Promise<void> {
  await store.outbox.mark(meeting.id, at);
  const stored = await store.meetings.create(meeting);
  await store.outbox.mark(meeting.id, at);
  await runEffects(store, meeting.id, stored);
}
