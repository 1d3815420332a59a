import { statusCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { cancelMeeting, fixMeeting, type FixRefusal } from '../../domain/meeting';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { scheduleReminders } from '../../scheduler/schedule';
import { pendingSend, type Meeting } from '../../store/meetingRepository';
import { withStatusRefresh } from '../../teams/outboxDispatcher';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { meetingFromThread } from './meetingAccess';

const fixRefusalText: Record<FixRefusal, string> = {
  notAllAnswered: sv.meeting.notAllAnswered,
  alreadyFixed: sv.meeting.alreadyFixed,
  cancelled: sv.meeting.isCancelled,
  unknownTime: sv.meeting.unknownTime,
};

/** Every party's card updated, and a notice in every party's thread (marked in the outbox before and after the change). */
function tellEveryParty(meeting: Meeting, notice: 'fixed' | 'cancelled'): Meeting {
  const sends = meeting.intake.summoned.flatMap((party) => [pendingSend('refreshSummons', { party }), pendingSend('notice', { party, notice })]);
  // The status card too: a refresh already in flight may have rendered the state before this decision.
  return withStatusRefresh({ ...meeting, pending: [...meeting.pending, ...sends] });
}

async function record(turn: Turn, deps: BotDeps, meeting: Meeting, action: string, details: Record<string, string>): Promise<void> {
  const now = deps.clock();
  await deps.store.outbox.mark(meeting.id, now);
  await deps.store.audit.append({
    at: now.toISOString(),
    actor: turn.actor.id,
    action,
    entity: 'Meeting',
    key: meeting.id,
    details: { ...details, actorAad: turn.actor.person.aadObjectId ?? '' },
  });
  await scheduleReminders(deps.store, meeting.id);
  deps.log.info({ meetingId: meeting.id, action }, 'meeting decision');
}

/** "Bekräfta mötet" on the convener's status card. */
export async function confirmMeeting(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const time = typeof raw.time === 'string' ? raw.time : '';
  const by = turn.actor.person;
  let refusal: FixRefusal | undefined;
  let changed = false;
  await deps.store.outbox.mark(access.meeting.value.id, deps.clock());
  const stored = await deps.store.meetings.change(access.meeting.value.id, (current) => {
    const result = fixMeeting(current, time);
    refusal = result.ok ? undefined : result.refusal;
    changed = result.ok && result.changed;
    if (!result.ok || !result.changed) return undefined;
    return tellEveryParty({ ...result.meeting, fixation: { at: deps.clock().toISOString(), by } }, 'fixed');
  });
  if (!stored) return sv.meeting.unknownMeeting;
  const meeting = stored.value;
  if (refusal) return statusCard(meeting, fixRefusalText[refusal]);
  if (changed) await record(turn, deps, meeting, 'meetingFixed', { time });
  return statusCard(meeting);
}

/** "Samtycket återkallat": consent withdrawn, so the meeting is cancelled, every party told and every reminder dropped. */
export function withdrawConsent(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  return cancelMeetingByConvener(turn, deps, { meetingId: raw.meetingId, reason: sv.meeting.consentWithdrawn }, 'consentWithdrawn');
}

/** "Ställ in mötet" (with a reason) on the convener's status card. */
export async function cancelMeetingByConvener(
  turn: Turn,
  deps: BotDeps,
  data: unknown,
  action: 'meetingCancelled' | 'consentWithdrawn' = 'meetingCancelled',
): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const reason = typeof raw.reason === 'string' ? raw.reason.trim() : '';
  if (!reason) return statusCard(access.meeting.value, sv.meeting.cancelRequired);
  if (containsPersonalIdentityNumber(reason)) return statusCard(access.meeting.value, sv.intake.problem.personnummer);
  if (reason.length > 300) return statusCard(access.meeting.value, sv.meeting.reasonTooLong);
  const by = turn.actor.person;
  let changed = false;
  await deps.store.outbox.mark(access.meeting.value.id, deps.clock());
  const stored = await deps.store.meetings.change(access.meeting.value.id, (current) => {
    const result = cancelMeeting(current);
    changed = result.changed;
    if (!result.changed) return undefined;
    return tellEveryParty({ ...result.meeting, cancellation: { reason, at: deps.clock().toISOString(), by } }, 'cancelled');
  });
  if (!stored) return sv.meeting.unknownMeeting;
  const meeting = stored.value;
  if (changed) await record(turn, deps, meeting, action, {});
  return statusCard(meeting);
}
