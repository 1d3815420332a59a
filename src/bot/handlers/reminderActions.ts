import { createHash } from 'node:crypto';
import { z } from 'zod';
import { intakeCard } from '../../cards/intakeCard';
import { noticeCard } from '../../cards/noticeCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { DEVIATION_PROMPTS, missedDeadline } from '../../cards/reminderCard';
import { dateInStockholm, workingDaysBetween } from '../../domain/calendar';
import type { SummonableParty } from '../../domain/meeting';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { AlreadyExistsError } from '../../store/errors';
import type { Meeting } from '../../store/meetingRepository';
import type { MeetingThread } from '../../store/threadRepository';
import { sv } from '../../texts/sv';
import { commitCommitment, commitRecord } from '../../scheduler/effects';
import { auditEffect, effect } from '../../store/effects';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { draftForm } from './deviations';
import { meetingOfCardInThread } from './meetingAccess';

type Where = { meeting: Meeting; role: MeetingThread['role'] };

/** The meeting named in the card data, honoured only in one of that meeting's threads. */
async function meetingOfCard(turn: Turn, deps: BotDeps, meetingId: unknown): Promise<Where | string> {
  const found = await meetingOfCardInThread(turn, deps, meetingId);
  return typeof found === 'string' ? found : { meeting: found.meeting.value, role: found.role };
}

const outcomeData = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('done') }),
  z.object({ outcome: z.literal('ongoing') }),
  z.object({ outcome: z.literal('notDone'), reason: z.string().trim().min(1).max(300) }),
]);

/** "Är insatsen genomförd?": Genomförd, Pågår or Ej genomförd (with a reason), from the responsible party's thread. */
export async function answerCommitmentCheck(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const where = await meetingOfCard(turn, deps, raw.meetingId);
  if (typeof where === 'string') return where;
  const commitment = typeof raw.commitmentId === 'string' ? await deps.store.commitments.get(where.meeting.id, raw.commitmentId) : undefined;
  if (!commitment || commitment.value.status === 'withdrawn') return sv.commitment.unknownCommitment;
  const party = where.role === 'convener' ? where.meeting.intake.convener : where.role;
  if (party !== commitment.value.party) return sv.reminder.onlyResponsible;
  const parsed = outcomeData.safeParse(raw);
  if (!parsed.success) return sv.reminder.reasonRequired;
  if (parsed.data.outcome === 'notDone' && containsPersonalIdentityNumber(parsed.data.reason)) return sv.commitment.personnummer;
  const outcome = parsed.data;
  const now = deps.clock().toISOString();
  const effects = [
    auditEffect({ at: now, actor: turn.actor.id, action: 'commitmentChecked', entity: 'Commitment', key: where.meeting.id, details: { commitmentId: commitment.value.id, outcome: outcome.outcome } }),
    effect({ plans: where.meeting.id }),
    effect({ reminders: where.meeting.id }),
  ];
  await commitCommitment(deps.store, where.meeting.id, deps.clock(), () =>
    deps.store.commitments.change(where.meeting.id, commitment.value.id, (c) =>
      c.status === 'withdrawn'
        ? undefined
        : {
            ...c,
            outcome: outcome.outcome,
            outcomeReason: outcome.outcome === 'notDone' ? outcome.reason : undefined,
            status: outcome.outcome === 'done' ? 'done' : outcome.outcome === 'ongoing' ? 'started' : c.status,
            updatedAt: now,
            updatedBy: turn.actor.person,
            effects: [...(c.effects ?? []), ...effects],
          },
    ),
  );
  const answer = { done: sv.reminder.done, ongoing: sv.reminder.ongoing, notDone: sv.reminder.notDone }[outcome.outcome];
  return noticeCard(sv.reminder.outcomeSaved(answer), '', outcome.outcome === 'notDone' ? 'attention' : 'good');
}

/**
 * "Skapa avvikelserapport" on a deviation prompt: a stored draft with the facts of what was missed,
 * posted as a form of its own below, so the prompt keeps its other buttons (another party, another deadline).
 */
export async function draftDeviation(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const where = await meetingOfCard(turn, deps, raw.meetingId);
  if (typeof where === 'string') return where;
  const kind = z.enum(DEVIATION_PROMPTS).safeParse(raw.kind);
  const subject = typeof raw.subject === 'string' ? raw.subject.slice(0, 100) : '';
  if (!kind.success) return sv.meeting.unknownMeeting;
  const { meeting } = where;
  const commitments = await deps.store.commitments.forMeeting(meeting.id);
  const missed = missedDeadline(meeting, { kind: kind.data, subject }, commitments);
  if (!missed) return sv.commitment.unknownCommitment;
  const party: SummonableParty | undefined =
    kind.data === 'answerDeviation'
      ? meeting.intake.summoned.find((p) => p === subject)
      : kind.data === 'commitmentDeviation'
        ? commitments.find((c) => c.id === subject)?.party
        : kind.data === 'healthExaminationDeviation'
          ? 'primarvard'
          : undefined;
  const today = dateInStockholm(deps.clock());
  const id = `d${createHash('sha256').update(`${meeting.id}|${kind.data}|${subject}`).digest('hex').slice(0, 12)}`;
  try {
    const drafted = auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action: 'deviationDrafted', entity: 'Deviation', key: id, details: { kind: missed.kind } });
    await commitRecord(deps.store, { entity: 'Deviation', partitionKey: meeting.intake.municipality, rowKey: id }, deps.clock(), () => deps.store.deviations.create({
      municipality: meeting.intake.municipality,
      id,
      meetingId: meeting.id,
      caseReference: meeting.intake.caseReference,
      kind: missed.kind,
      party,
      deadline: missed.deadline,
      daysLate: Math.max(0, workingDaysBetween(missed.deadline, today)),
      status: 'draft',
      createdAt: deps.clock().toISOString(),
      createdBy: { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId },
      posts: {},
      effects: [drafted],
    }));
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
  }
  const draft = await deps.store.deviations.get(meeting.intake.municipality, id);
  if (draft && draft.value.status !== 'draft') return sv.deviation.registered(draft.value.reference ?? '');
  await turn.sendCard(draftForm(draft!.value));
  return sv.deviation.draftPosted;
}

/** "Kalla till uppföljande möte": the intake card prefilled as a follow-up meeting linked to the first. */
export async function startFollowUpMeeting(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const where = await meetingOfCard(turn, deps, raw.meetingId);
  if (typeof where === 'string') return where;
  const { meeting } = where;
  const party = where.role === 'convener' ? meeting.intake.convener : where.role;
  if (party !== (meeting.plan.followUpConvener ?? meeting.intake.convener)) return sv.commitment.onlyConvener;
  // Whichever party the meeting named convenes the follow-up, from its own thread (2025: "om mötet beslutat att någon annan part ska ta över ansvaret").
  const convener = party;
  const others = [meeting.intake.convener, ...meeting.intake.summoned].filter((p) => p !== convener).join(',');
  const today = dateInStockholm(deps.clock());
  return intakeCard({
    values: {
      municipality: meeting.intake.municipality,
      convener,
      summoned: others,
      consentParties: others,
      consentFrom: meeting.intake.consent.from.join(','),
      consentDate: today,
      caseReference: await deps.store.caseReferences.propose(meeting.intake.municipality, Number(today.slice(0, 4))),
      age: String(meeting.intake.age),
      gender: meeting.intake.gender,
      purpose: sv.intake.followUpPurpose(meeting.intake.caseReference),
      place: meeting.intake.place,
      urgent: 'false',
      consentConfirmed: 'false',
      placedOutsideHome: String(meeting.intake.placedOutsideHome),
      time1Date: meeting.plan.followUpDate ?? '',
    },
    followsUp: meeting.id,
    allowed: { municipalities: [meeting.intake.municipality], conveners: [convener] },
  });
}
