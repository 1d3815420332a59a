import { summonsCard, statusCard } from '../cards/meetingCards';
import { planCard } from '../cards/planCard';
import type { SummonableParty } from '../domain/meeting';
import type { Logger } from '../log';
import { ConcurrencyError } from '../store/errors';
import { scheduleReminders } from '../scheduler/schedule';
import { pendingSend, threadReferenceOf, type Meeting, type PendingSend } from '../store/meetingRepository';
import type { Store } from '../store/store';
import { sv } from '../texts/sv';
import { formatLocalDateTime } from '../texts/format';
import { isPermanentFailure, statusOf, type Connector } from './connector';

/** How long a claimed send is reserved for the process that claimed it before another may retry it. */
const LEASE_MS = 30_000;
const MAX_BACKOFF_MS = 5 * 60_000;

type Outcome = (meeting: Meeting) => Meeting;

/**
 * Carries out the sends recorded in meetings (the outbox): summons cards into the parties'
 * channels, card refreshes and notices. Each send is claimed with an ETag-conditional write before
 * it is made and removed after, so a crash or a second bot instance neither loses nor repeats it
 * (short of a crash between the post and its record, which leaves at most one repeat).
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
    for (const mark of await this.store.outbox.list()) {
      const left = await this.processMeeting(mark.value.meetingId);
      if (left === 0 && (await this.store.meetings.get(mark.value.meetingId)) === undefined && this.isRecent(mark.value.markedAt)) continue;
      if (left === 0) await this.store.outbox.clear(mark).catch((error) => {
        if (!(error instanceof ConcurrencyError)) throw error;
      });
    }
  }

  /** A mark for a meeting not stored yet may be one whose meeting is being written right now. */
  private isRecent(markedAt: string): boolean {
    return this.clock().getTime() - Date.parse(markedAt) < 60_000;
  }

  /** Does every send of the meeting that is due; returns how many are still pending. */
  private async processMeeting(meetingId: string): Promise<number> {
    for (;;) {
      const stored = await this.store.meetings.get(meetingId);
      if (!stored) return 0;
      const now = this.clock();
      const item = stored.value.pending.find((p) => !p.claimedUntil || Date.parse(p.claimedUntil) <= now.getTime());
      if (!item) return stored.value.pending.length;
      const claimed: PendingSend = { ...item, attempts: item.attempts + 1, claimedUntil: new Date(now.getTime() + LEASE_MS).toISOString() };
      try {
        await this.store.meetings.replace(
          { ...stored.value, pending: stored.value.pending.map((p) => (p.key === item.key ? claimed : p)) },
          stored.etag,
        );
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        throw error;
      }
      await this.perform(stored.value, claimed);
    }
  }

  private async perform(meeting: Meeting, item: PendingSend): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.send(meeting, item);
    } catch (error) {
      const status = statusOf(error);
      if (isPermanentFailure(error)) {
        this.log.warn({ meetingId: meeting.id, kind: item.kind, party: item.party, status }, 'send refused for good');
        outcome = (m) => markFailed(m, item, status ? `http ${status}` : (error as Error).name);
      } else {
        const delay = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** item.attempts);
        this.log.warn({ meetingId: meeting.id, kind: item.kind, party: item.party, status, retryInMs: delay }, 'send failed; will retry');
        const retryAt = new Date(this.clock().getTime() + delay).toISOString();
        const lastError = status ? `http ${status}` : ((error as NodeJS.ErrnoException).code ?? (error as Error).name);
        await this.store.meetings.change(meeting.id, (m) => ({
          ...m,
          pending: m.pending.map((p) => (p.key === item.key ? { ...p, claimedUntil: retryAt, lastError } : p)),
        }));
        return;
      }
    }
    const after = await this.store.meetings.change(meeting.id, (m) => outcome({ ...m, pending: m.pending.filter((p) => p.key !== item.key) }));
    const delivery = item.party ? after?.value.summons[item.party] : undefined;
    if (item.kind === 'summons' && item.party && delivery?.threadId) {
      // Recorded first: a storage error here must not look like a failed post (and post again).
      await this.store.threads.link({ conversationId: delivery.threadId, meetingId: meeting.id, role: item.party });
      await this.store.audit.append({
        at: delivery.sentAt ?? this.clock().toISOString(),
        actor: 'system',
        action: 'summonsSent',
        entity: 'Meeting',
        key: meeting.id,
        details: { party: item.party, caseReference: meeting.intake.caseReference },
      });
      await scheduleReminders(this.store, meeting.id);
    }
  }

  /** Makes one send; returns how the meeting records that it was made. */
  private async send(meeting: Meeting, item: PendingSend): Promise<Outcome> {
    const party = item.party;
    const delivery = party ? meeting.summons[party] : undefined;
    switch (item.kind) {
      case 'summons': {
        if (!party || !delivery || delivery.activityId || meeting.state === 'cancelled') return (m) => m;
        const { threadId, activityId } = await this.connector.startThread(delivery, summonsCard(meeting, party));
        const sentAt = this.clock().toISOString();
        this.log.info({ meetingId: meeting.id, party }, 'summons sent');
        return (m) => withStatusRefresh({ ...m, summons: { ...m.summons, [party]: { ...m.summons[party]!, threadId, activityId, sentAt } } });
      }
      case 'refreshSummons':
        if (delivery?.threadId && delivery.activityId && party) {
          await this.connector.updateCard(threadReferenceOf(meeting, party)!, delivery.activityId, summonsCard(meeting, party));
        }
        return (m) => m;
      case 'refreshStatus':
        await this.connector.updateCard(threadReferenceOf(meeting, 'convener')!, meeting.convener.statusActivityId, statusCard(meeting));
        return (m) => m;
      case 'notice':
        if (party && delivery?.threadId) await this.connector.sendText(threadReferenceOf(meeting, party)!, noticeText(meeting, item));
        return (m) => m;
      case 'plan':
        return this.sendPlan(meeting, item.thread ?? 'convener');
    }
  }

  /** Posts the plan card in a thread the first time, and updates it in place after that. */
  private async sendPlan(meeting: Meeting, thread: 'convener' | SummonableParty): Promise<Outcome> {
    const reference = threadReferenceOf(meeting, thread);
    if (!reference) return (m) => m;
    const card = planCard(meeting, await this.store.commitments.forMeeting(meeting.id));
    const existing = meeting.planCards[thread];
    if (existing) {
      await this.connector.updateCard(reference, existing, card);
      return (m) => m;
    }
    const id = await this.connector.sendCard(reference, card);
    return (m) => ({ ...m, planCards: { ...m.planCards, [thread]: id } });
  }
}

function noticeText(meeting: Meeting, item: PendingSend): string {
  const ref = meeting.intake.caseReference;
  return item.notice === 'fixed' && meeting.fixedTime
    ? sv.meeting.noticeFixed(ref, formatLocalDateTime(meeting.fixedTime), meeting.intake.place)
    : sv.meeting.noticeCancelled(ref, meeting.cancellation?.reason ?? '');
}

function markFailed(meeting: Meeting, item: PendingSend, reason: string): Meeting {
  if (item.kind !== 'summons' || !item.party) return meeting;
  const party = item.party;
  return withStatusRefresh({ ...meeting, summons: { ...meeting.summons, [party]: { ...meeting.summons[party]!, failed: reason } } });
}

/** Adds a refresh of the convener's status card unless one is already waiting. */
export function withStatusRefresh(meeting: Meeting): Meeting {
  if (meeting.pending.some((p) => p.kind === 'refreshStatus' && !p.claimedUntil)) return meeting;
  return { ...meeting, pending: [...meeting.pending, pendingSend('refreshStatus')] };
}
