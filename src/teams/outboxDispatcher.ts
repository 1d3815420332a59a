import { ExponentialBackoff } from 'cockatiel';
import { summonsCard, statusCard } from '../cards/meetingCards';
import { planCard } from '../cards/planCard';
import type { SummonableParty } from '../domain/meeting';
import type { Logger } from '../log';
import { recordsOf, settleAll, settleMeeting, settleRecord } from '../scheduler/effects';
import { eraseCase, erasePart } from '../scheduler/erasure';
import { auditEffect, effect, type Effect } from '../store/effects';
import { ConcurrencyError } from '../store/errors';
import { pendingSend, threadReferenceOf, withStatusRefresh, type Meeting, type PendingSend } from '../store/meetingRepository';
import type { OutboxMark } from '../store/outboxRepository';
import type { StoredConversationReference } from '../store/conversationReference';
import { isStorageUnavailable, type Store } from '../store/store';
import { unconfirmedParties } from '../domain/meeting';
import { sv } from '../texts/sv';
import { recordSendFailure } from '../telemetry/metrics';
import { formatLocalDateTime } from '../texts/format';
import type { Connector, SendFailure } from './connector';

/**
 * How long a claimed send is reserved for the process that claimed it before another may retry it:
 * longer than one send can take (the outbox's pacing wait, the call's deadline, its record).
 */
const LEASE_MS = 30_000;
/** The longest an outbox send waits for a pacing slot; beyond it, it is tried again later. */
export const OUTBOX_PACE_WAIT_MS = 10_000;
/** Backoff between tries of a send when Teams gives no Retry-After: from 2 s, with jitter, up to 15 min. */
const BACKOFF = { initialDelay: 2_000, maxDelay: 15 * 60_000 };
/** Meetings drained at once: one slow Teams service never holds up another organisation's sends. */
const CONCURRENCY = 8;

export interface OutboxOptions {
  /** A send still failing this long after its first failure is given up on. */
  giveUpMs: number;
}

type Outcome = { apply: (meeting: Meeting) => Meeting; effects?: Effect[] };
const unchanged: Outcome = { apply: (m) => m };

/** An erasure that found a Teams service not answering: tried again later. */
class ErasureWaitsError extends Error {
  constructor() {
    super('erasure waits for a Teams service');
    this.name = 'ErasureWaitsError';
  }
}

/** The n-th delay of an exponential backoff with decorrelated jitter (cockatiel's). */
function backoffDelay(attempt: number): number {
  let backoff = new ExponentialBackoff(BACKOFF).next();
  for (let i = 1; i < attempt; i++) backoff = backoff.next(undefined);
  return backoff.duration;
}

/**
 * Posts to the same thread keep their order; sends to different threads are independent. A card
 * refresh renders the meeting as it is when made, so it waits for nothing and holds up nothing
 * (not even behind a refresh a dead process still holds the lease of).
 */
function groupOf(item: PendingSend): string {
  if (item.kind === 'erase') return 'erase';
  if (item.kind === 'refreshStatus' || item.kind === 'refreshSummons' || item.kind === 'failureNotice') return `${item.kind}:${item.key}`;
  return item.party ?? item.thread ?? 'convener';
}

/**
 * Carries out the sends recorded in meetings (the outbox): summons cards into the parties'
 * channels, card refreshes and notices, and the effects stored with each change (audit rows,
 * links, reminders). Each send is claimed with an ETag-conditional write before it is made and
 * removed after, so a crash or a second bot instance neither loses nor repeats it (short of a
 * crash between the post and its record, or a post Teams took after the call timed out: each can
 * leave one repeat, since Teams has no idempotent post). A failed send is tried
 * again later, when Teams' Retry-After says or after a backoff with jitter, never inside a user's
 * request; after `giveUpMs` it is given up on and the convener told once.
 */
export class OutboxDispatcher {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly connector: Connector,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly options: OutboxOptions = { giveUpMs: 24 * 3_600_000 },
  ) {}

  /** Drains now, or once more after the drain that is running. */
  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again);
      } catch (error) {
        this.log.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 'outbox drain failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Drains on an interval, so retries and work left by a crashed instance get done. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.trigger(), intervalMs);
    this.timer.unref();
    void this.trigger();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    const marks = [...(await this.store.outbox.list())];
    const worker = async () => {
      for (let mark = marks.shift(); mark; mark = marks.shift()) {
        const current = mark;
        const target = current.value.target;
        const left = await (target ? settleRecord(this.store, target).then(() => 0) : this.processMeeting(current.value.meetingId)).catch((error: Error) => {
          this.log.warn({ err: { name: error.name }, meetingId: current.value.meetingId }, 'outbox: meeting not drained; tried again later');
          return 1;
        });
        if (left > 0) continue;
        // A mark for a record not stored yet may be one whose record is being written right now.
        if (this.isRecent(current.value.markedAt) && (target ? !(await this.recordExists(target)) : (await this.store.meetings.get(current.value.meetingId)) === undefined)) continue;
        await this.store.outbox.clear(current).catch((error) => {
          if (!(error instanceof ConcurrencyError)) throw error;
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  private async recordExists(target: NonNullable<OutboxMark['target']>): Promise<boolean> {
    return (await recordsOf(this.store, target.entity).find(target.partitionKey, target.rowKey)) !== undefined;
  }

  private isRecent(markedAt: string): boolean {
    return this.clock().getTime() - Date.parse(markedAt) < 60_000;
  }

  /**
   * Carries out the meeting's effects, then its due sends: in each round the first due send of
   * every thread is claimed in one write and the sends made at once. Returns how much is left.
   */
  private async processMeeting(meetingId: string): Promise<number> {
    const effectsLeft = await settleAll(this.store, meetingId);
    for (;;) {
      const stored = await this.store.meetings.get(meetingId);
      if (!stored) return effectsLeft;
      const now = this.clock();
      const due = firstDuePerThread(stored.value.pending, now);
      if (due.length === 0) return stored.value.pending.length + effectsLeft;
      const until = new Date(now.getTime() + LEASE_MS).toISOString();
      const claimed = due.map((item) => ({ ...item, attempts: item.attempts + 1, claimedUntil: until }));
      const byKey = new Map(claimed.map((c) => [c.key, c]));
      try {
        await this.store.meetings.replace({ ...stored.value, pending: stored.value.pending.map((p) => byKey.get(p.key) ?? p) }, stored.etag);
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
      // Every send finishes (or fails) before the next round; a failure is raised after all settled.
      const results = await Promise.allSettled(claimed.map((item) => this.perform(stored.value, item)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async perform(meeting: Meeting, item: PendingSend): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.send(meeting, item);
    } catch (error) {
      // Storage failing inside a send (reading the plan's commitments) is not Teams refusing it.
      const failure: SendFailure = isStorageUnavailable(error) ? { kind: 'retry', reason: 'storage' } : this.connector.failureOf(error);
      const now = this.clock();
      const firstFailedAt = item.firstFailedAt ?? now.toISOString();
      // An erasure is never given up on: it waits, however long, until every card can be made neutral.
      const givenUp = item.kind !== 'erase' && item.kind !== 'withdrawParty' && (failure.kind === 'gone' || now.getTime() - Date.parse(firstFailedAt) >= this.options.giveUpMs);
      recordSendFailure(item.kind, failure.reason, givenUp);
      if (givenUp) {
        this.log.warn({ meetingId: meeting.id, kind: item.kind, party: item.party, reason: failure.reason }, 'send given up');
        outcome = failedForGood(meeting, item, failure, now);
      } else {
        const delay = Math.max(failure.kind === 'retry' ? (failure.retryAfterMs ?? 0) : 0, backoffDelay(item.attempts));
        this.log.warn({ meetingId: meeting.id, kind: item.kind, party: item.party, reason: failure.reason, retryInMs: delay }, 'send failed; will retry');
        const retryAt = new Date(now.getTime() + delay).toISOString();
        await this.store.meetings.change(meeting.id, (m) => ({
          ...m,
          pending: m.pending.map((p) => (p.key === item.key ? { ...p, claimedUntil: retryAt, lastError: failure.reason, firstFailedAt } : p)),
        }));
        return;
      }
    }
    const stored = await this.store.meetings.change(meeting.id, (m) => {
      const next = outcome.apply({ ...m, pending: m.pending.filter((p) => p.key !== item.key) });
      return { ...next, effects: [...(next.effects ?? []), ...(outcome.effects ?? [])] };
    });
    if (stored && outcome.effects?.length) await settleMeeting(this.store, meeting.id, stored);
  }

  /** Makes one send; returns how the meeting records that it was made. */
  private async send(meeting: Meeting, item: PendingSend): Promise<Outcome> {
    const party = item.party;
    const delivery = party ? meeting.summons[party] : undefined;
    switch (item.kind) {
      case 'summons': {
        if (!party || !delivery || delivery.activityId || meeting.state === 'cancelled') return unchanged;
        const { threadId, activityId } = await this.connector.startThread(delivery, summonsCard(meeting, party));
        const sentAt = this.clock().toISOString();
        this.log.info({ meetingId: meeting.id, party }, 'summons sent');
        return {
          apply: (m) => withStatusRefresh({ ...m, summons: { ...m.summons, [party]: { ...m.summons[party]!, threadId, activityId, sentAt } } }),
          // Recorded with the post: the thread finds its meeting, the audit trail has it, reminders follow.
          effects: [
            effect({ thread: { conversationId: threadId, meetingId: meeting.id, role: party } }),
            auditEffect({ at: sentAt, actor: 'system', action: 'summonsSent', entity: 'Meeting', key: meeting.id, details: { party, caseReference: meeting.intake.caseReference } }),
            effect({ reminders: meeting.id }),
          ],
        };
      }
      case 'refreshSummons':
        if (delivery?.threadId && delivery.activityId && party) {
          await this.connector.updateCard(threadReferenceOf(meeting, party)!, delivery.activityId, summonsCard(meeting, party));
        }
        return unchanged;
      case 'refreshStatus':
        await this.connector.updateCard(threadReferenceOf(meeting, 'convener')!, meeting.convener.statusActivityId, statusCard(meeting));
        return unchanged;
      case 'notice':
        if (!party || !delivery?.threadId) return unchanged;
        return this.postText(meeting, threadReferenceOf(meeting, party)!, noticeText(meeting, item));
      case 'failureNotice':
        if (!party) return unchanged;
        return this.postText(meeting, threadReferenceOf(meeting, 'convener')!, sv.reminder.sendGivenUp(sv.party[party], meeting.intake.caseReference));
      case 'plan':
        return this.sendPlan(meeting, item.thread ?? 'convener');
      case 'withdrawParty': {
        if (!party) return unchanged;
        const forget = await erasePart({ store: this.store, replacer: this.connector, log: this.log }, meeting, party);
        if (forget === 'retry') throw new ErasureWaitsError();
        return { apply: forget, effects: [effect({ reminders: meeting.id })] };
      }
      case 'erase': {
        const outcome = await eraseCase({ store: this.store, replacer: this.connector, log: this.log }, meeting.id, this.clock(), meeting.erasure?.by ?? 'system');
        if (outcome === 'retry') throw new ErasureWaitsError();
        return unchanged;
      }
    }
  }

  /** Posts a text about the case, and records where, so erasure finds it. */
  private async postText(meeting: Meeting, reference: StoredConversationReference, text: string): Promise<Outcome> {
    const activityId = await this.connector.sendText(reference, text);
    if (!activityId) return unchanged;
    return { apply: (m) => m, effects: [effect({ post: { meetingId: meeting.id, activityId, conversationReference: reference, kind: 'text', at: this.clock().toISOString() } })] };
  }

  /** Posts the plan card in a thread the first time, and updates it in place after that. */
  private async sendPlan(meeting: Meeting, thread: 'convener' | SummonableParty): Promise<Outcome> {
    const reference = threadReferenceOf(meeting, thread);
    if (!reference) return unchanged;
    const card = planCard(meeting, await this.store.commitments.forMeeting(meeting.id), { thread });
    const existing = meeting.planCards[thread];
    if (existing) {
      await this.connector.updateCard(reference, existing, card);
      return unchanged;
    }
    const id = await this.connector.sendCard(reference, card);
    return { apply: (m) => ({ ...m, planCards: { ...m.planCards, [thread]: id } }) };
  }
}

/**
 * The first send of each thread, if it is due (a later one waits for the one before it). An
 * erasure waits for every other send: the parties are told the case ended, then it is erased.
 */
function firstDuePerThread(pending: PendingSend[], now: Date): PendingSend[] {
  const first = new Map<string, PendingSend>();
  const others = pending.some((p) => p.kind !== 'erase');
  for (const item of pending) if (!(others && item.kind === 'erase') && !first.has(groupOf(item))) first.set(groupOf(item), item);
  return [...first.values()].filter((p) => !p.claimedUntil || Date.parse(p.claimedUntil) <= now.getTime());
}

function noticeText(meeting: Meeting, item: PendingSend): string {
  const ref = meeting.intake.caseReference;
  if (item.notice === 'resummoned') return sv.meeting.noticeResummoned(ref);
  if (item.notice !== 'fixed' || !meeting.fixedTime) return sv.meeting.noticeCancelled(ref, meeting.cancellation?.reason ?? '');
  const fixed = sv.meeting.noticeFixed(ref, formatLocalDateTime(meeting.fixedTime), meeting.intake.place);
  const asked = item.party && unconfirmedParties(meeting).some((p) => p.party === item.party && p.fits === undefined);
  return asked ? `${fixed} ${sv.meeting.noticeAsked}` : fixed;
}

/**
 * A send Teams will not take (the bot removed, the conversation gone) or that kept failing past
 * the bound: dropped, audited, and for a party's thread the convener told once (the status card
 * shows the party as unreachable).
 */
function failedForGood(meeting: Meeting, item: PendingSend, failure: SendFailure, now: Date): Outcome {
  const audit = auditEffect({
    at: now.toISOString(),
    actor: 'system',
    action: 'sendFailed',
    entity: 'Meeting',
    key: meeting.id,
    details: { kind: item.kind, party: item.party ?? item.thread ?? 'convener', reason: failure.reason },
  });
  const party = item.party ?? (item.thread && item.thread !== 'convener' ? item.thread : undefined);
  if (!party || item.kind === 'failureNotice') return { apply: (m) => m, effects: [audit] };
  return {
    apply: (m) => {
      const delivery = m.summons[party];
      if (!delivery) return m;
      const summonsFailed = item.kind === 'summons';
      const tell = !delivery.convenerTold;
      const marked = { ...m, summons: { ...m.summons, [party]: { ...delivery, convenerTold: true, ...(summonsFailed ? { failed: failure.reason } : {}) } } };
      const told = tell ? { ...marked, pending: [...marked.pending, pendingSend('failureNotice', { party })] } : marked;
      return summonsFailed ? withStatusRefresh(told) : told;
    },
    effects: [audit],
  };
}
