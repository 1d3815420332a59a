import { statusCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { DateTime } from 'luxon';
import { dateInStockholm, ZONE } from '../../domain/calendar';
import { cancelMeeting, fixMeeting, waitingFor, type FixRefusal, type SummonableParty } from '../../domain/meeting';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { settleMeeting } from '../../scheduler/effects';
import { auditEffect, effect, type Effect } from '../../store/effects';
import { changeMeeting, type MeetingChange } from '../../store/meetingChange';
import { CLOSING_REASONS, pendingSend, withPlanRefresh, withStatusRefresh, type Meeting } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { meetingFromThread } from './meetingAccess';

const fixRefusalText: Record<FixRefusal, string> = {
  notAllAnswered: sv.meeting.notAllAnswered,
  cancelled: sv.meeting.isCancelled,
  unknownTime: sv.meeting.unknownTime,
  closed: sv.meeting.isClosed,
};

/** The time chosen on the status card: one of the candidates, or another the convener typed (in the future). */
function chosenTime(raw: Record<string, unknown>, now: Date): { time: string; other: boolean } | string {
  const otherDate = typeof raw.otherDate === 'string' ? raw.otherDate.trim() : '';
  const otherTime = typeof raw.otherTime === 'string' ? raw.otherTime.trim() : '';
  if (otherDate || otherTime) {
    const when = DateTime.fromISO(`${otherDate}T${otherTime}`, { zone: ZONE });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(otherDate) || !/^\d{2}:\d{2}$/.test(otherTime) || !when.isValid) return sv.meeting.otherTimeInvalid;
    if (when.toJSDate() <= now) return sv.meeting.otherTimePast;
    return { time: `${otherDate}T${otherTime}`, other: true };
  }
  if (typeof raw.time !== 'string' || raw.time === '') return sv.meeting.chooseTime;
  return { time: raw.time, other: false };
}

/** Every party's card updated, and a notice in every party's thread (marked in the outbox before and after the change). */
function tellEveryParty(meeting: Meeting, notice: 'fixed' | 'cancelled'): Meeting {
  const sends = meeting.intake.summoned.flatMap((party) => [pendingSend('refreshSummons', { party }), pendingSend('notice', { party, notice })]);
  // The status card too: a refresh already in flight may have rendered the state before this decision.
  return withStatusRefresh({ ...meeting, pending: [...meeting.pending, ...sends] });
}

/** What a decision causes: its audit row and the reminders following the new state. */
function decisionEffects(turn: Turn, meetingId: string, at: Date, action: string, details: Record<string, string>): Effect[] {
  return [
    auditEffect({ at: at.toISOString(), actor: turn.actor.id, action, entity: 'Meeting', key: meetingId, details: { ...details, actorAad: turn.actor.person.aadObjectId ?? '' } }),
    effect({ reminders: meetingId }),
  ];
}

/** "Bekräfta mötet" on the convener's status card. */
export async function confirmMeeting(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const by = turn.actor.person;
  const now = deps.clock();
  const chosen = chosenTime(raw, now);
  if (typeof chosen === 'string') return statusCard(access.meeting.value, chosen, now);
  const { time, other } = chosen;
  const { stored, result: refusal, changed } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<FixRefusal | undefined> => {
      const result = fixMeeting(current, time, { today: dateInStockholm(now), replyBy: current.deadlines.replyBy, other, closed: Boolean(current.closure) });
      if (!result.ok) return { result: result.refusal };
      if (!result.changed) return { result: undefined };
      const moved = current.state === 'fixed';
      const meeting = tellEveryParty({ ...result.meeting, fixation: { at: now.toISOString(), by } }, 'fixed');
      const without = waitingFor(current).join(',');
      return { meeting, effects: decisionEffects(turn, current.id, now, moved ? 'meetingMoved' : 'meetingFixed', { time, without }), result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  if (refusal) return statusCard(stored.value, fixRefusalText[refusal], now);
  if (changed) deps.log.info({ meetingId: stored.value.id, action: 'meetingFixed' }, 'meeting decision');
  return statusCard(stored.value, '', now);
}

/**
 * "Samtycket återkallat": consent withdrawn. For every party, the meeting is cancelled, every party
 * told, every reminder dropped and the case erased. For some parties only, those parties leave the
 * case: what they said and were shown about it is erased, the others go on.
 */
export async function withdrawConsent(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const named = typeof raw.consentParties === 'string' ? raw.consentParties.split(',').map((p) => p.trim()).filter(Boolean) : [];
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const summoned = access.meeting.value.intake.summoned;
  const parties = summoned.filter((p) => named.includes(p));
  if (parties.length < named.length) return statusCard(access.meeting.value, sv.meeting.unknownConsentParty);
  if (parties.length === 0 || parties.length === summoned.length || access.meeting.value.state === 'cancelled') {
    return cancelMeetingByConvener(turn, deps, { meetingId: raw.meetingId, reason: sv.meeting.consentWithdrawn }, 'consentWithdrawn');
  }
  const now = deps.clock();
  const { stored } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<undefined> => {
      const leaving = parties.filter((p) => current.intake.summoned.includes(p));
      if (leaving.length === 0) return { result: undefined };
      const stays = (p: SummonableParty) => !leaving.includes(p);
      const intake = { ...current.intake, summoned: current.intake.summoned.filter(stays), consent: { ...current.intake.consent, parties: current.intake.consent.parties.filter(stays) } };
      // The leaving parties' sends are dropped; their cards are made neutral and their part erased by the outbox.
      const pending = [...current.pending.filter((p) => !p.party || stays(p.party)), ...leaving.map((party) => pendingSend('withdrawParty', { party }))];
      const meeting = withPlanRefresh(withStatusRefresh({ ...current, intake, pending }));
      return { meeting, effects: decisionEffects(turn, current.id, now, 'consentLimited', { parties: leaving.join(',') }), result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return statusCard(stored.value);
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
  const now = deps.clock();
  const { stored, changed } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<undefined> => {
      const result = cancelMeeting(current);
      const withdrawn = action === 'consentWithdrawn' && !current.erasure;
      if (!result.changed && !withdrawn) return { result: undefined };
      const told = result.changed ? tellEveryParty({ ...result.meeting, cancellation: { reason, at: now.toISOString(), by } }, 'cancelled') : current;
      // Withdrawn consent (also of a meeting already cancelled): once the parties are told, every detail of the case is erased.
      const meeting = withdrawn
        ? { ...told, erasure: { reason: 'consentWithdrawn' as const, requestedAt: now.toISOString(), by: turn.actor.id }, pending: [...told.pending, pendingSend('erase')] }
        : told;
      return { meeting, effects: decisionEffects(turn, current.id, now, action, {}), result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  if (changed) deps.log.info({ meetingId: stored.value.id, action }, 'meeting decision');
  return statusCard(stored.value);
}

/** "Avsluta samordningen" (the convener, once the meeting is fixed): the coordination ends, with a reason; retention counts from here. */
export async function closeCase(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const reason = CLOSING_REASONS.find((r) => r === raw.closeReason);
  if (!reason) return statusCard(access.meeting.value, sv.meeting.closeRequired);
  const now = deps.clock();
  const { stored, result: refused } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<boolean> => {
      if (current.state !== 'fixed') return { result: true };
      if (current.closure) return { result: false };
      const meeting = withStatusRefresh({ ...current, closure: { reason, at: now.toISOString(), by: turn.actor.person } });
      return { meeting, effects: decisionEffects(turn, current.id, now, 'caseClosed', { reason }), result: false };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return statusCard(stored.value, refused ? sv.meeting.onlyFixedCloses : '');
}

/** "Sluta läsa åtaganden" / "Läs åtaganden igen" on the status card: whether commitments typed in the meeting's threads without @Norrbus are read. */
export async function setListening(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const now = deps.clock();
  if (raw.listening !== 'on' && raw.listening !== 'off') return statusCard(access.meeting.value, '', now);
  const listening = raw.listening === 'on';
  const { stored } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<undefined> => {
      if ((current.listening !== false) === listening) return { result: undefined };
      const meeting = withStatusRefresh({ ...current, listening });
      const audit = auditEffect({ at: now.toISOString(), actor: turn.actor.id, action: listening ? 'listeningOn' : 'listeningOff', entity: 'Meeting', key: current.id, details: { actorAad: turn.actor.person.aadObjectId ?? '' } });
      return { meeting, effects: [audit], result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return statusCard(stored.value, '', now);
}
