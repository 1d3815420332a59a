import { DateTime } from 'luxon';
import { forumDigestCard, lansdelDigestCard } from '../cards/forumDigestCard';
import type { AdaptiveCardJson } from '../cards/render';
import { dateInStockholm, firstWorkingDayOfMonth, ZONE } from '../domain/calendar';
import { chooseForum, County, quarterOf, sameArea, type Lansdel } from '../domain/county';
import { inPostingWindow, type PostingWindow } from '../domain/reminders';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import type { Logger } from '../log';
import type { StoredConversationReference } from '../store/conversationReference';
import type { Deviation } from '../store/deviationRepository';
import { digestKeys, type Digest } from '../store/digestRepository';
import { AlreadyExistsError, ConcurrencyError } from '../store/errors';
import type { IntakeChannel } from '../store/intakeChannelRepository';
import type { Meeting } from '../store/meetingRepository';
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
  /** The länsdelar (LANSDELAR); default the four of src/domain/county.ts. */
  county?: County;
}

export interface ForumPassResult {
  digests: number;
  analysisReminders: number;
  /** Quarterly digests to the länsdelar's samverkansgrupper. */
  lansdelDigests: number;
}

/** Whether a report or case of the forum area `area` goes to `forum` among the municipality's registrations. */
function goesTo(registrations: IntakeChannel[], area: string | undefined, forum: IntakeChannel): boolean {
  const chosen = chooseForum(registrations, area);
  return chosen !== undefined && chosen.channelId === forum.channelId && sameArea(chosen.forumArea ?? '', forum.forumArea ?? '');
}

/**
 * The forum side of the reminder pass: each Forum barn och unga channel (each forum of an area as
 * well) gets its monthly digest on the first working day of the month, each länsdel's
 * samverkansgrupp its quarterly digest on the first working day of the quarter, and a deviating
 * party is reminded once when its analysis falls due. All are claimed in storage before they are
 * posted, so several instances send each once.
 */
export class ForumPass {
  private readonly county: County;

  constructor(
    private readonly store: Store,
    private readonly sender: ForumSender,
    private readonly log: Logger,
    private readonly options: ForumPassOptions,
  ) {
    this.county = options.county ?? new County();
  }

  async run(at: Date): Promise<ForumPassResult> {
    const result: ForumPassResult = { digests: 0, analysisReminders: 0, lansdelDigests: 0 };
    if (!inPostingWindow(at, this.options.window)) return result;
    const today = dateInStockholm(at);
    const digestDay = today === firstWorkingDayOfMonth(today.slice(0, 7)) && DateTime.fromJSDate(at, { zone: ZONE }).hour >= this.options.digestHour;
    for (const municipality of MUNICIPALITIES) {
      result.analysisReminders += await this.remindAnalyses(municipality, today, at);
      if (!digestDay) continue;
      const registrations = await this.store.intakeChannels.listMunicipality(municipality);
      for (const forum of registrations.filter((r) => r.party === 'forum')) {
        if (await this.digest(municipality, forum, registrations, today, at)) result.digests++;
      }
    }
    const { quarter, firstMonth } = quarterOf(today);
    if (digestDay && firstMonth) {
      const channels = await this.store.intakeChannels.listLansdelar();
      for (const lansdel of this.county.lansdelar) {
        const channel = channels.find((c) => c.lansdel === lansdel.id);
        if (channel && (await this.lansdelDigest(lansdel, channel, quarter, today, at))) result.lansdelDigests++;
      }
    }
    if (result.digests || result.analysisReminders || result.lansdelDigests) this.log.info({ ...result }, 'forum pass');
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

  /**
   * Claims a digest (create, or take over a dead claim), posts it, marks it sent. False when it
   * went out already or another instance holds the claim.
   */
  private async claimAndSend(digest: Omit<Digest, 'status' | 'claimedUntil' | 'sentAt'>, channel: IntakeChannel, card: () => Promise<AdaptiveCardJson>, at: Date, audit: { action: string; key: string }): Promise<boolean> {
    const claim: Digest = { ...digest, status: 'sending', claimedUntil: new Date(at.getTime() + this.options.leaseMs).toISOString() };
    const { partitionKey, rowKey } = digestKeys(digest);
    let etag: string;
    try {
      etag = (await this.store.digests.create(claim)).etag;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.store.digests.find(partitionKey, rowKey);
      if (!existing || existing.value.status === 'sent' || Date.parse(existing.value.claimedUntil ?? '') > at.getTime()) return false;
      try {
        etag = (await this.store.digests.replace(claim, existing.etag)).etag;
      } catch (conflict) {
        if (conflict instanceof ConcurrencyError) return false;
        throw conflict;
      }
    }
    await this.sender.startThread(channel, await card());
    await this.store.digests.replace({ ...digest, status: 'sent', sentAt: at.toISOString() }, etag).catch(() => undefined);
    await this.store.audit.append({ at: at.toISOString(), actor: 'system', action: audit.action, entity: 'Digest', key: audit.key, details: {} });
    return true;
  }

  /** This month's digest of one forum: the reports and cases of its area (all of the municipality's when it is the only forum). */
  private digest(municipality: Municipality, forum: IntakeChannel, registrations: IntakeChannel[], today: string, at: Date): Promise<boolean> {
    const month = today.slice(0, 7);
    const area = forum.forumArea;
    return this.claimAndSend({ municipality, area, month }, forum, () => this.digestFacts(municipality, forum, registrations, today), at, {
      action: 'forumDigestSent',
      key: [municipality, area, month].filter(Boolean).join('/'),
    });
  }

  private async digestFacts(municipality: Municipality, forum: IntakeChannel, registrations: IntakeChannel[], today: string) {
    const caseArea = (meeting: Meeting) => registrations.find((r) => r.party === meeting.intake.convener)?.forumArea;
    const deviations = (await this.store.deviations.forMunicipality(municipality)).filter(
      (d) => d.status !== 'draft' && d.status !== 'closed' && goesTo(registrations, d.forumArea, forum),
    );
    const meetings = (await this.store.meetings.list(municipality)).filter((m) => goesTo(registrations, caseArea(m), forum));
    const lateMeetings = meetings.filter((m) => m.state === 'summoning' && m.deadlines.meetingDue < today).map((m) => m.intake.caseReference);
    const overdueCommitments: string[] = [];
    for (const meeting of meetings.filter((m) => m.state !== 'cancelled')) {
      const overdue = (await this.store.commitments.forMeeting(meeting.id)).filter(
        (c) => c.followUpDate && c.followUpDate < today && c.status !== 'done' && c.status !== 'withdrawn' && c.outcome !== 'done',
      );
      if (overdue.length) overdueCommitments.push(meeting.intake.caseReference);
    }
    const month = DateTime.fromISO(today, { zone: ZONE }).setLocale('sv').toFormat('LLLL yyyy');
    return forumDigestCard({ municipality, area: forum.forumArea, month, openDeviations: deviations, lateMeetings, overdueCommitments });
  }

  /** This quarter's digest of a länsdel's samverkansgrupp: its municipalities' deviations and late meetings, counts and report numbers only. */
  private lansdelDigest(lansdel: Lansdel, channel: IntakeChannel, quarter: string, today: string, at: Date): Promise<boolean> {
    return this.claimAndSend({ lansdel: lansdel.id, month: quarter }, channel, () => this.lansdelFacts(lansdel, quarter, today), at, {
      action: 'lansdelDigestSent',
      key: `länsdel/${lansdel.id}/${quarter}`,
    });
  }

  private async lansdelFacts(lansdel: Lansdel, quarter: string, today: string) {
    // The quarter before this one: the period the samverkansgrupp looks back on.
    const start = DateTime.fromISO(today, { zone: ZONE }).startOf('quarter');
    const previousFrom = start.minus({ quarters: 1 }).toISODate()!;
    const previousTo = start.toISODate()!;
    const open: (Deviation & { municipality: Municipality })[] = [];
    const reported: Deviation[] = [];
    const analysed: Deviation[] = [];
    const lateMeetings: { municipality: Municipality; count: number }[] = [];
    for (const municipality of lansdel.municipalities) {
      const deviations = (await this.store.deviations.forMunicipality(municipality)).filter((d) => d.status !== 'draft');
      const inPrevious = (instant: string | undefined) => {
        const date = instant ? dateInStockholm(new Date(instant)) : '';
        return date >= previousFrom && date < previousTo;
      };
      open.push(...deviations.filter((d) => d.status !== 'closed'));
      reported.push(...deviations.filter((d) => inPrevious(d.reportedAt)));
      analysed.push(...deviations.filter((d) => inPrevious(d.analysis?.at)));
      const late = (await this.store.meetings.list(municipality)).filter((m) => m.state === 'summoning' && m.deadlines.meetingDue < today).length;
      lateMeetings.push({ municipality, count: late });
    }
    const previous = start.minus({ quarters: 1 });
    return lansdelDigestCard({
      lansdel: lansdel.name,
      quarter: sv.deviation.lansdelDigest.quarter(Number(quarter.slice(-1)), quarter.slice(0, 4)),
      previousQuarter: sv.deviation.lansdelDigest.quarter(previous.quarter, String(previous.year)),
      openDeviations: open,
      reportedLastQuarter: reported.length,
      analysedLastQuarter: analysed.length,
      lateMeetings,
    });
  }
}
