import { DateTime } from 'luxon';
import { forumDigestCard } from '../cards/forumDigestCard';
import type { AdaptiveCardJson } from '../cards/render';
import { dateInStockholm, firstWorkingDayOfMonth, ZONE } from '../domain/calendar';
import { inPostingWindow, type PostingWindow } from '../domain/reminders';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import type { Logger } from '../log';
import type { StoredConversationReference } from '../store/conversationReference';
import { AlreadyExistsError, ConcurrencyError } from '../store/errors';
import type { Store } from '../store/store';
import { formatDate } from '../texts/format';
import { sv } from '../texts/sv';

/** How the forum pass reaches Teams; implemented by src/teams. */
export interface ForumSender {
  startThread(channel: { serviceUrl: string; tenantId: string; channelId: string }, card: AdaptiveCardJson): Promise<{ threadId: string; activityId: string }>;
  sendText(reference: StoredConversationReference, text: string): Promise<string>;
}

export interface ForumPassOptions {
  window: PostingWindow;
  /** The digest goes out on the first working day of the month, from this hour (Europe/Stockholm). */
  digestHour: number;
  leaseMs: number;
}

export interface ForumPassResult {
  digests: number;
  analysisReminders: number;
}

/**
 * The forum side of the reminder pass: each Forum barn och unga channel gets its monthly digest on
 * the first working day of the month, and a deviating party is reminded once when its analysis
 * falls due. Both are claimed in storage before they are posted, so several instances send each once.
 */
export class ForumPass {
  constructor(
    private readonly store: Store,
    private readonly sender: ForumSender,
    private readonly log: Logger,
    private readonly options: ForumPassOptions,
  ) {}

  async run(at: Date): Promise<ForumPassResult> {
    const result: ForumPassResult = { digests: 0, analysisReminders: 0 };
    if (!inPostingWindow(at, this.options.window)) return result;
    const today = dateInStockholm(at);
    const digestDay = today === firstWorkingDayOfMonth(today.slice(0, 7)) && DateTime.fromJSDate(at, { zone: ZONE }).hour >= this.options.digestHour;
    for (const municipality of MUNICIPALITIES) {
      result.analysisReminders += await this.remindAnalyses(municipality, today, at);
      if (digestDay && (await this.digest(municipality, today, at))) result.digests++;
    }
    if (result.digests || result.analysisReminders) this.log.info({ ...result }, 'forum pass');
    return result;
  }

  private async remindAnalyses(municipality: Municipality, today: string, at: Date): Promise<number> {
    let sent = 0;
    const due = (await this.store.deviations.forMunicipality(municipality)).filter(
      (d) => (d.status === 'new' || d.status === 'analysing') && d.analysisDue && d.analysisDue <= today && !d.analysisRemindedAt && d.posts.party,
    );
    for (const deviation of due) {
      // Claimed first (one instance wins the ETag race), released again if the post fails.
      const claimed = await this.store.deviations.change(municipality, deviation.id, (d) => (d.analysisRemindedAt ? undefined : { ...d, analysisRemindedAt: at.toISOString() }));
      if (claimed?.value.analysisRemindedAt !== at.toISOString()) continue;
      const post = deviation.posts.party!;
      try {
        await this.sender.sendText(
          { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } },
          sv.deviation.analysisReminder(deviation.reference ?? '', formatDate(deviation.analysisDue!), deviation.analysisDue! < today),
        );
        sent++;
      } catch (error) {
        this.log.warn({ municipality, status: (error as { statusCode?: number }).statusCode }, 'analysis reminder failed; will retry');
        await this.store.deviations.change(municipality, deviation.id, (d) => ({ ...d, analysisRemindedAt: undefined }));
      }
    }
    return sent;
  }

  /** Claims this month's digest of the municipality (create, or take over a dead claim), posts it, marks it sent. */
  private async digest(municipality: Municipality, today: string, at: Date): Promise<boolean> {
    const forum = await this.store.intakeChannels.get(municipality, 'forum');
    if (!forum) return false;
    const month = today.slice(0, 7);
    const claim = { municipality, month, status: 'sending' as const, claimedUntil: new Date(at.getTime() + this.options.leaseMs).toISOString() };
    let etag: string;
    try {
      etag = (await this.store.digests.create(claim)).etag;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.store.digests.find(municipality, month);
      if (!existing || existing.value.status === 'sent' || Date.parse(existing.value.claimedUntil ?? '') > at.getTime()) return false;
      try {
        etag = (await this.store.digests.replace(claim, existing.etag)).etag;
      } catch (conflict) {
        if (conflict instanceof ConcurrencyError) return false;
        throw conflict;
      }
    }
    const card = forumDigestCard(await this.digestFacts(municipality, today));
    await this.sender.startThread(forum.value, card);
    await this.store.digests.replace({ municipality, month, status: 'sent', sentAt: at.toISOString() }, etag).catch(() => undefined);
    await this.store.audit.append({ at: at.toISOString(), actor: 'system', action: 'forumDigestSent', entity: 'Digest', key: `${municipality}/${month}`, details: {} });
    return true;
  }

  private async digestFacts(municipality: Municipality, today: string) {
    const deviations = (await this.store.deviations.forMunicipality(municipality)).filter((d) => d.status !== 'draft' && d.status !== 'closed');
    const meetings = await this.store.meetings.list(municipality);
    const lateMeetings = meetings.filter((m) => m.state === 'summoning' && m.deadlines.meetingDue < today).map((m) => m.intake.caseReference);
    const overdueCommitments: string[] = [];
    for (const meeting of meetings.filter((m) => m.state !== 'cancelled')) {
      const overdue = (await this.store.commitments.forMeeting(meeting.id)).filter(
        (c) => c.followUpDate && c.followUpDate < today && c.status !== 'done' && c.status !== 'withdrawn' && c.outcome !== 'done',
      );
      if (overdue.length) overdueCommitments.push(meeting.intake.caseReference);
    }
    const month = DateTime.fromISO(today, { zone: ZONE }).setLocale('sv').toFormat('LLLL yyyy');
    return { municipality, month, openDeviations: deviations, lateMeetings, overdueCommitments };
  }
}
