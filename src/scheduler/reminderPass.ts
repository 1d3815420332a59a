import { reminderCard } from '../cards/reminderCard';
import type { AdaptiveCardJson } from '../cards/render';
import { dateInStockholm } from '../domain/calendar';
import { inPostingWindow, type PostingWindow } from '../domain/reminders';
import type { Logger } from '../log';
import type { StoredConversationReference } from '../store/conversationReference';
import { ConcurrencyError } from '../store/errors';
import { threadReferenceOf } from '../store/meetingRepository';
import { reminderRef, type Reminder } from '../store/reminderRepository';
import type { Stored } from '../store/tableRepository';
import type { Store } from '../store/store';
import { sv } from '../texts/sv';
import { plannedRefs } from './schedule';

/** How the pass reaches Teams; implemented by src/teams, so the pass holds no Bot Framework types. */
export interface ReminderSender {
  sendCard(reference: StoredConversationReference, card: AdaptiveCardJson): Promise<string>;
  sendText(reference: StoredConversationReference, text: string): Promise<string>;
  /** What a failure means: try again (when Teams says, if it did) or gone for good (the bot removed: 403/404). */
  failureOf(error: unknown): { kind: 'retry'; retryAfterMs?: number; reason: string } | { kind: 'gone'; reason: string };
}

export interface PassOptions {
  window: PostingWindow;
  /** How long a claim holds before another pass may take the reminder over (its sender died). */
  leaseMs: number;
}

export interface PassResult {
  /** Messages posted (one per thread with due reminders). */
  posted: number;
  /** Reminders delivered in those messages. */
  delivered: number;
  /** Reminders dropped because they no longer apply (answered, done, cancelled). */
  dropped: number;
  /** Reminders left for a later pass after a failed send. */
  retrying: number;
  outsideWindow: boolean;
}

const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * One reminder pass at an instant: reads the reminders due by then (their partitions only), claims
 * each with an ETag-conditional write, gathers those of one thread into one card, posts it, and
 * deletes them. Several passes may run at once over the same storage; each reminder goes out once.
 */
export class ReminderPass {
  constructor(
    private readonly store: Store,
    private readonly sender: ReminderSender,
    private readonly log: Logger,
    private readonly options: PassOptions,
  ) {}

  async run(at: Date): Promise<PassResult> {
    const result: PassResult = { posted: 0, delivered: 0, dropped: 0, retrying: 0, outsideWindow: false };
    if (!inPostingWindow(at, this.options.window)) return { ...result, outsideWindow: true };
    // Claims and retries count from the pass's instant plus the time it has run, so a long pass
    // (slow sends) never writes a claim that has already expired.
    const started = Date.now();
    const now = () => new Date(at.getTime() + (Date.now() - started));
    const ready = (await this.store.reminders.due(dateInStockholm(at))).filter((r) => {
      const { notBefore, claimedUntil } = r.value;
      return (!notBefore || Date.parse(notBefore) <= at.getTime()) && (!claimedUntil || Date.parse(claimedUntil) <= at.getTime());
    });
    const byThread = new Map<string, Stored<Reminder>[]>();
    for (const reminder of ready) {
      const key = `${reminder.value.meetingId}|${reminder.value.thread}`;
      byThread.set(key, [...(byThread.get(key) ?? []), reminder]);
    }
    for (const group of byThread.values()) await this.deliver(group, at, now, result);
    if (result.posted || result.dropped || result.retrying) this.log.info({ ...result }, 'reminder pass');
    return result;
  }

  private async claim(reminders: Stored<Reminder>[], at: Date): Promise<Stored<Reminder>[]> {
    const claimedUntil = new Date(at.getTime() + this.options.leaseMs).toISOString();
    const claimed: Stored<Reminder>[] = [];
    for (const reminder of reminders) {
      try {
        claimed.push(await this.store.reminders.replace({ ...reminder.value, claimedUntil, attempts: reminder.value.attempts + 1 }, reminder.etag));
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    }
    return claimed;
  }

  private async release(reminders: Stored<Reminder>[], at: Date, lastError: string, result: PassResult, retryAfterMs = 0): Promise<void> {
    for (const reminder of reminders) {
      const delay = Math.max(retryAfterMs, Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** (reminder.value.attempts - 1)));
      const notBefore = new Date(at.getTime() + delay).toISOString();
      await this.store.reminders.replace({ ...reminder.value, claimedUntil: undefined, notBefore, lastError }, reminder.etag).catch((error) => {
        if (!(error instanceof ConcurrencyError)) throw error;
      });
      result.retrying++;
    }
  }

  private async drop(reminders: Stored<Reminder>[], result: PassResult): Promise<void> {
    for (const reminder of reminders) {
      await this.store.reminders.done(reminder).catch((error) => {
        if (!(error instanceof ConcurrencyError)) throw error;
      });
      result.dropped++;
    }
  }

  private async deliver(group: Stored<Reminder>[], at: Date, now: () => Date, result: PassResult): Promise<void> {
    const claimed = await this.claim(group, now());
    if (claimed.length === 0) return;
    const { meetingId, thread } = claimed[0].value;
    const meeting = (await this.store.meetings.get(meetingId))?.value;
    if (!meeting) return this.drop(claimed, result);
    const commitments = await this.store.commitments.forMeeting(meetingId);
    const stillPlanned = plannedRefs(meeting, commitments);
    const live = claimed.filter((r) => stillPlanned.has(reminderRef(r.value)));
    await this.drop(claimed.filter((r) => !live.includes(r)), result);
    const reference = threadReferenceOf(meeting, thread);
    if (live.length === 0) return;
    if (!reference) {
      // The party's summons is not (yet) recorded as posted: try again later, unless it never will be.
      const failed = thread !== 'convener' && meeting.summons[thread]?.failed;
      return failed ? this.drop(live, result) : this.release(live, now(), 'thread not posted yet', result);
    }

    let posted: string;
    try {
      posted = await this.sender.sendCard(reference, reminderCard(meeting, live.map((r) => r.value), commitments, dateInStockholm(at)));
    } catch (error) {
      const failure = this.sender.failureOf(error);
      if (failure.kind === 'retry') return this.release(live, now(), failure.reason, result, failure.retryAfterMs);
      this.log.warn({ meetingId, thread, reason: failure.reason }, 'reminder undeliverable; the convener is told');
      await this.drop(live, result);
      if (thread !== 'convener') {
        await this.sender
          .sendText(threadReferenceOf(meeting, 'convener')!, sv.reminder.undeliverable(sv.party[thread], meeting.intake.caseReference))
          .catch(() => undefined);
      }
      return;
    }
    result.posted++;
    // Where it is, so that erasing the case later finds it (the card holds the commitments' texts).
    await this.store.posts.record({ meetingId, activityId: posted, conversationReference: reference, kind: 'card', at: at.toISOString() });
    for (const reminder of live) {
      await this.store.reminders.done(reminder).catch((error) => {
        if (!(error instanceof ConcurrencyError)) throw error;
      });
      await this.store.audit.append({
        at: at.toISOString(),
        actor: 'system',
        action: 'reminderSent',
        entity: 'Reminder',
        key: meetingId,
        details: { kind: reminder.value.kind, thread, dueDate: reminder.value.dueDate },
      });
      result.delivered++;
    }
  }
}
