import type { Commitment } from '../store/commitmentRepository';
import type { Effect } from '../store/effects';
import type { EffectEntity, OutboxMark } from '../store/outboxRepository';
import { changeMeeting } from '../store/meetingChange';
import { withPlanRefresh, type Meeting } from '../store/meetingRepository';
import type { Store } from '../store/store';
import type { Stored } from '../store/tableRepository';
import { scheduleReminders } from './schedule';

async function carryOut(store: Store, effects: Effect[], at: Date): Promise<void> {
  // Rows of their own (audit, links, posts) are independent of each other: written side by side.
  await Promise.all(
    effects.map(async (effect) => {
      if (effect.audit) await store.audit.appendOnce({ ...effect.audit, id: effect.id });
      if (effect.userMeeting) await store.userMeetings.link(effect.userMeeting);
      if (effect.thread) await store.threads.link(effect.thread);
      if (effect.post) await store.posts.record(effect.post);
    }),
  );
  // What changes the meeting itself goes one after the other, in order.
  for (const effect of effects) {
    if (effect.plans) await changeMeeting(store, effect.plans, at, (m) => ({ meeting: withPlanRefresh(m), result: undefined }), settleMeeting);
    if (effect.reminders) await scheduleReminders(store, effect.reminders);
  }
}

/** A table whose records carry effects, by their keys (every repository over TableRepository is one). */
interface EffectRecords {
  find(partitionKey: string, rowKey: string): Promise<Stored<{ effects?: Effect[] }> | undefined>;
  mutate(
    partitionKey: string,
    rowKey: string,
    change: (current: { effects?: Effect[] } | undefined) => { effects?: Effect[] } | undefined,
    known?: Stored<{ effects?: Effect[] }>,
  ): Promise<unknown>;
}

/**
 * Carries out the effects stored in one record and removes them from it. Safe to run twice, or at
 * once in two processes: each effect writes the same row however often it runs.
 */
async function settle(store: Store, records: EffectRecords, partitionKey: string, rowKey: string, known?: Stored<{ effects?: Effect[] }>): Promise<void> {
  const record = known ?? (await records.find(partitionKey, rowKey));
  const effects = record?.value.effects ?? [];
  if (effects.length === 0) return;
  await carryOut(store, effects, new Date());
  const done = new Set(effects.map((e) => e.id));
  await records.mutate(
    partitionKey,
    rowKey,
    (r) => (r?.effects?.some((e) => done.has(e.id)) ? { ...r, effects: r.effects.filter((e) => !done.has(e.id)) } : undefined),
    record,
  );
}

/**
 * What the meeting's stored changes caused: audit rows, thread and "mina möten" links, reminders.
 * `known` is the meeting as the caller just wrote it (its effects and ETag), saving two reads.
 */
export function settleMeeting(store: Store, meetingId: string, known?: Stored<Meeting>): Promise<void> {
  return settle(store, store.meetings as unknown as EffectRecords, meetingId, 'meeting', known);
}

/** The same for a commitment's effects (its audit row, the plan cards, the reminders), kept in the commitment. */
export function settleCommitment(store: Store, meetingId: string, commitmentId: string): Promise<void> {
  return settle(store, store.commitments as unknown as EffectRecords, meetingId, commitmentId);
}

/**
 * A commitment written with the effects it causes: the meeting's outbox is marked first, so a crash
 * after the write still has them carried out; then they are, at once.
 */
export async function commitCommitment(
  store: Store,
  meetingId: string,
  at: Date,
  write: () => Promise<Stored<Commitment> | undefined>,
): Promise<Stored<Commitment> | undefined> {
  await store.outbox.mark(meetingId, at);
  const stored = await write();
  // Marked again: a drain that read the first mark before the write may have cleared it.
  await store.outbox.mark(meetingId, at);
  if (stored) await settleCommitment(store, meetingId, stored.value.id);
  return stored;
}

/** Everything a meeting and its commitments still have to carry out; how many effects are left. */
export async function settleAll(store: Store, meetingId: string): Promise<number> {
  for (const commitment of await store.commitments.forMeeting(meetingId)) {
    if (commitment.effects?.length) await settleCommitment(store, meetingId, commitment.id);
  }
  await settleMeeting(store, meetingId);
  const left = (await store.commitments.forMeeting(meetingId)).reduce((n, c) => n + (c.effects?.length ?? 0), 0);
  return left + ((await store.meetings.get(meetingId))?.value.effects?.length ?? 0);
}

export function recordsOf(store: Store, entity: EffectEntity): EffectRecords {
  const repositories = { Deviation: store.deviations, Disagreement: store.disagreements, IntakeChannel: store.intakeChannels, Installation: store.installations };
  return repositories[entity] as unknown as EffectRecords;
}

/** Carries out and removes the effects stored in one record (a deviation, a disagreement, a registration, an installation). */
export function settleRecord(store: Store, target: NonNullable<OutboxMark['target']>): Promise<void> {
  return settle(store, recordsOf(store, target.entity), target.partitionKey, target.rowKey);
}

/**
 * A change to such a record, written with its effects (its audit row): the outbox is marked first,
 * so a crash after the write still has them carried out; then they are, and the mark goes.
 */
export async function commitRecord<T>(store: Store, target: NonNullable<OutboxMark['target']>, at: Date, write: () => Promise<T>): Promise<T> {
  await store.outbox.markEntity(target, at);
  const result = await write();
  // Marked again: a drain that read the first mark before the write may have cleared it.
  const mark = await store.outbox.markEntity(target, at);
  await settleRecord(store, target);
  await store.outbox.clear(mark).catch(() => undefined);
  return result;
}
