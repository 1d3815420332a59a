import { createHash } from 'node:crypto';
import { crashPoint } from '../crashPoint';
import { caseStatisticsOf } from '../stats/record';
import type { StoredConversationReference } from '../store/conversationReference';
import { pendingSend, threadReferenceOf, type ErasureReason, type Meeting } from '../store/meetingRepository';
import { statisticsRowOf } from '../store/statisticsRepository';
import type { Store } from '../store/store';
import { sv } from '../texts/sv';
import type { SummonableParty } from '../domain/meeting';
import type { Logger } from '../log';

/** How erasure reaches Teams: replaces a message the bot posted; implemented by src/teams. */
export interface MessageReplacer {
  updateText(reference: StoredConversationReference, activityId: string, text: string): Promise<void>;
  failureOf(error: unknown): { kind: 'retry' | 'gone'; reason: string };
}

export type ErasureOutcome = 'erased' | 'retry' | 'gone';

/** Every message the bot posted about the case: the meeting's own cards, the recorded posts, the report copies. */
async function messagesOf(store: Store, meeting: Meeting, extra: { reference: StoredConversationReference; activityId: string }[]) {
  const out: { reference: StoredConversationReference; activityId: string }[] = [];
  const convener = threadReferenceOf(meeting, 'convener');
  if (convener) out.push({ reference: convener, activityId: meeting.convener.statusActivityId });
  for (const [party, delivery] of Object.entries(meeting.summons)) {
    const reference = threadReferenceOf(meeting, party as never);
    if (reference && delivery?.activityId) out.push({ reference, activityId: delivery.activityId });
  }
  for (const [thread, activityId] of Object.entries(meeting.planCards)) {
    const reference = threadReferenceOf(meeting, thread as never);
    if (reference) out.push({ reference, activityId });
  }
  for (const post of await store.posts.forMeeting(meeting.id)) out.push({ reference: post.conversationReference, activityId: post.activityId });
  return [...out, ...extra];
}

/** One audit row per erasure, whoever runs it and however often. */
function erasureAuditId(meetingId: string): string {
  return `e${createHash('sha256').update(`erased|${meetingId}`).digest('hex').slice(0, 12)}`;
}

/**
 * Erases one case, keeping only its statistics record (`src/stats/record.ts`): every message the
 * bot posted about it is replaced with a neutral text, then the meeting, its commitments, the
 * deviations and disagreements about it, its links, reminders, case-reference claim and recorded
 * posts are deleted, and the details of its audit rows emptied. Each step can run again: a run
 * killed mid-way is finished by the next, and two running at once end the same. A Teams service
 * that does not answer leaves the case for a later try ('retry'): nothing is deleted before every
 * reachable card is neutral. Audited by case id, kinds of data, reason and who, never content.
 */
export async function eraseCase(deps: { store: Store; replacer: MessageReplacer; log: Logger }, meetingId: string, at: Date, by: string): Promise<ErasureOutcome> {
  const { store } = deps;
  const stored = await store.meetings.get(meetingId);
  if (!stored) return 'gone';
  const meeting = stored.value;
  const reason: ErasureReason = meeting.erasure?.reason ?? 'retention';
  const municipality = meeting.intake.municipality;
  const commitments = await store.commitments.forMeeting(meetingId);
  // Reports about the case: those made from its reminders, and those made on the form naming its case reference.
  const deviations = (await store.deviations.forMunicipality(municipality))
    .filter((d) => d.meetingId === meetingId || (!d.meetingId && d.caseReference === meeting.intake.caseReference))
    .map((d) => ({ ...d, meetingId }));
  const disagreements = (await store.disagreements.forMunicipality(municipality)).filter((d) => d.meetingId === meetingId);

  const copies = [
    ...deviations.flatMap((d) => Object.values(d.posts)),
    ...disagreements.flatMap((d) => Object.values(d.posts)),
  ].flatMap((post) => (post ? [{ reference: { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } }, activityId: post.activityId }] : []));
  const neutral = reason === 'consentWithdrawn' ? sv.erasure.consentWithdrawn : sv.erasure.closed;
  let unreachable = false;
  for (const message of await messagesOf(store, meeting, copies)) {
    try {
      await deps.replacer.updateText(message.reference, message.activityId, neutral);
    } catch (error) {
      // A card in a team the bot has left, or a message already gone, cannot show anything any more.
      if (deps.replacer.failureOf(error).kind === 'retry') unreachable = true;
    }
  }
  if (unreachable) {
    deps.log.warn({ meetingId }, 'erasure waits: a Teams service did not answer');
    return 'retry';
  }

  // Kept right before the first delete, and never replaced: a run killed half-way recomputes from
  // what is left, and must not overwrite the complete record.
  await store.statistics.keep(statisticsRowOf(caseStatisticsOf(meeting, commitments, deviations), at.toISOString()));
  crashPoint('erase:kept');
  for (const c of commitments) await store.commitments.remove(meetingId, c.id);
  for (const d of deviations) await store.deviations.remove(municipality, d.id);
  for (const d of disagreements) await store.disagreements.remove(municipality, d.id);
  for (const post of await store.posts.forMeeting(meetingId)) await store.posts.remove(meetingId, post.activityId);
  const threads = [meeting.convener.conversationId, ...Object.values(meeting.summons).flatMap((s) => (s?.threadId ? [s.threadId] : []))];
  for (const thread of threads) await store.threads.remove(thread, meetingId);
  const people = new Set([meeting.createdBy.aadObjectId ?? meeting.createdBy.id, ...Object.values(meeting.answers).flatMap((a) => (a ? [a.by.aadObjectId ?? a.by.id] : []))]);
  for (const person of people) await store.userMeetings.remove(person, meetingId);
  for (const ref of meeting.reminderRefs) await store.reminders.removeRef(ref);
  crashPoint('erase:halfway');
  await store.caseReferences.remove(municipality, meeting.intake.caseReference);
  await store.audit.scrub(new Date(meeting.createdAt), at, [meetingId, ...deviations.map((d) => d.id), ...disagreements.map((d) => d.id)]);
  await store.audit.appendOnce({
    id: erasureAuditId(meetingId),
    at: at.toISOString(),
    actor: by,
    action: 'caseErased',
    entity: 'Meeting',
    key: meetingId,
    details: { reason, municipality, kinds: 'meeting,answers,commitments,plan,deviations,disagreements,links,reminders,posts,auditDetails', commitments: commitments.length, deviations: deviations.length, disagreements: disagreements.length },
  });
  await store.meetings.remove(meetingId, 'meeting');
  deps.log.info({ meetingId, reason }, 'case erased');
  return 'erased';
}

/** Cases whose details have outlived the retention time: closed or cancelled longer ago than `retentionDays`. */
export async function expiredCases(store: Store, at: Date, retentionDays: number): Promise<Meeting[]> {
  const limit = at.getTime() - retentionDays * 86_400_000;
  return (await store.meetings.list()).filter((m) => {
    const ended = m.closure?.at ?? m.cancellation?.at;
    return ended !== undefined && Date.parse(ended) <= limit;
  });
}

export interface RetentionResult {
  /** The cases due for erasure (by id), erased unless a dry run. */
  due: string[];
  erased: number;
  waiting: number;
  auditRowsRemoved: number;
}

/**
 * The retention rule, applied at `at`: every case closed or cancelled `caseDays` ago or more is
 * erased (marked first, so a run killed mid-way is finished by the outbox or the next run), and
 * audit rows older than `auditDays` are removed. A dry run only lists what would go.
 */
export async function applyRetention(
  deps: { store: Store; replacer: MessageReplacer; log: Logger },
  at: Date,
  retention: { caseDays: number; auditDays: number },
  dryRun = false,
): Promise<RetentionResult> {
  const expired = await expiredCases(deps.store, at, retention.caseDays);
  const result: RetentionResult = { due: expired.map((m) => m.id), erased: 0, waiting: 0, auditRowsRemoved: 0 };
  if (dryRun) return result;
  for (const meeting of expired) {
    await requestErasure(deps.store, meeting.id, at, 'retention', 'system');
    const outcome = await eraseCase(deps, meeting.id, at, 'system');
    if (outcome === 'erased') result.erased++;
    else if (outcome === 'retry') result.waiting++;
  }
  const before = new Date(at.getTime() - retention.auditDays * 86_400_000).toISOString().slice(0, 7);
  result.auditRowsRemoved = await deps.store.audit.removeBefore(before);
  return result;
}

/** Marks a case for erasure (once), with an outbox send so that it is finished whatever happens next. */
export async function requestErasure(store: Store, meetingId: string, at: Date, reason: ErasureReason, by: string): Promise<void> {
  await store.outbox.mark(meetingId, at);
  await store.meetings.change(meetingId, (m) =>
    m.erasure ? undefined : { ...m, erasure: { reason, requestedAt: at.toISOString(), by }, pending: [...m.pending.filter((p) => p.kind !== 'erase'), pendingSend('erase')] },
  );
}

/**
 * Consent withdrawn for one party only: its cards and messages in its own thread are made neutral,
 * and what it said and was given about the case (its answer, its commitments, its links) is erased.
 * Returns how the meeting forgets the party, or 'retry' when its Teams did not answer.
 */
export async function erasePart(
  deps: { store: Store; replacer: MessageReplacer; log: Logger },
  meeting: Meeting,
  party: SummonableParty,
): Promise<'retry' | ((m: Meeting) => Meeting)> {
  const { store } = deps;
  const delivery = meeting.summons[party];
  const reference = threadReferenceOf(meeting, party);
  const messages = reference
    ? [
        ...(delivery?.activityId ? [delivery.activityId] : []),
        ...(meeting.planCards[party] ? [meeting.planCards[party]!] : []),
        ...(await store.posts.forMeeting(meeting.id)).filter((p) => p.conversationReference.conversation.id === delivery?.threadId).map((p) => p.activityId),
      ]
    : [];
  for (const activityId of messages) {
    try {
      await deps.replacer.updateText(reference!, activityId, sv.erasure.consentLimited);
    } catch (error) {
      if (deps.replacer.failureOf(error).kind === 'retry') return 'retry';
    }
  }
  for (const c of await store.commitments.forMeeting(meeting.id)) if (c.party === party) await store.commitments.remove(meeting.id, c.id);
  for (const post of await store.posts.forMeeting(meeting.id)) if (post.conversationReference.conversation.id === delivery?.threadId) await store.posts.remove(meeting.id, post.activityId);
  if (delivery?.threadId) await store.threads.remove(delivery.threadId, meeting.id);
  const answer = meeting.answers[party];
  if (answer) await store.userMeetings.remove(answer.by.aadObjectId ?? answer.by.id, meeting.id);
  deps.log.info({ meetingId: meeting.id, party }, 'consent withdrawn for a party: its part erased');
  return (m) => {
    const { [party]: _summons, ...summons } = m.summons;
    const { [party]: _answer, ...answers } = m.answers;
    const { [party]: _plan, ...planCards } = m.planCards;
    return { ...m, summons, answers, planCards };
  };
}
