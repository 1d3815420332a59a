import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { intakeCard } from '../../cards/intakeCard';
import { deadlineText, statusCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { addWorkingDays, dateInStockholm } from '../../domain/calendar';
import { deadlinesFor, validateIntake, type IntakeInput, type IntakeProblem } from '../../domain/intake';
import { CONVENING_PARTIES, type ConveningParty, type Intake } from '../../domain/meeting';
import { isMunicipality } from '../../domain/municipality';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { AlreadyExistsError } from '../../store/errors';
import { pendingSend, type Meeting, type SummonsDelivery } from '../../store/meetingRepository';
import { scheduleReminders } from '../../scheduler/schedule';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

/** Working days a party has to answer a summons (svara senast). */
const REPLY_WITHIN = 3;

/** `norrbus nytt möte`: the intake card, preset from the channel's registration when there is one. */
export async function startNewMeeting(turn: Turn, deps: BotDeps): Promise<void> {
  const channelId = turn.place.channelId;
  const registration = channelId ? (await deps.store.intakeChannels.findByChannel(channelId))[0] : undefined;
  const convener = registration && (CONVENING_PARTIES as readonly string[]).includes(registration.party) ? (registration.party as ConveningParty) : undefined;
  const today = dateInStockholm(deps.clock());
  const others = convener ? CONVENING_PARTIES.filter((p) => p !== convener).join(',') : '';
  const values: IntakeInput = {
    municipality: registration?.municipality ?? '',
    convener: convener ?? '',
    summoned: others,
    consentParties: others,
    consentFrom: 'ungdomen,vardnadshavare',
    consentDate: today,
    caseReference: registration ? await deps.store.caseReferences.propose(registration.municipality, Number(today.slice(0, 4))) : '',
    urgent: 'false',
    placedOutsideHome: 'false',
    consentConfirmed: 'false',
  };
  await turn.sendCard(intakeCard({ values, deadlines: deadlinePreview(values, today) }));
}

/** The deadlines the card can already show: from the consent date, if the summons goes out today. */
function deadlinePreview(values: IntakeInput, today: string): string {
  const consentDate = typeof values.consentDate === 'string' ? values.consentDate : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(consentDate) || !DateTime.fromISO(consentDate).isValid || consentDate > today) return '';
  const urgent = values.urgent === true || values.urgent === 'true';
  const deadlines = deadlinesFor({ consent: { date: consentDate, from: [], parties: [] }, urgent }, today);
  return deadlineText({ urgent, proposedTimes: [] }, deadlines);
}

/** The convener's links to a new meeting (thread, "mina möten", reminders); idempotent. */
async function linkConvener(deps: BotDeps, meeting: Meeting, actor: string, now: Date): Promise<void> {
  await deps.store.threads.link({ conversationId: meeting.convener.conversationId, meetingId: meeting.id, role: 'convener' });
  await deps.store.userMeetings.link({ userId: actor, meetingId: meeting.id, role: 'convener', party: meeting.intake.convener, at: now.toISOString() });
  await scheduleReminders(deps.store, meeting.id);
}

/** One meeting per intake card: a second click on the same card finds the same meeting. */
function meetingIdFor(conversationId: string, cardActivityId: string): string {
  return `m${createHash('sha256').update(`${conversationId}|${cardActivityId}`).digest('hex').slice(0, 16)}`;
}

function replyBy(summonsDate: string, intake: Intake): string {
  const byRule = addWorkingDays(summonsDate, intake.urgent ? 1 : REPLY_WITHIN);
  const firstMeetingDay = intake.proposedTimes[0].slice(0, 10);
  const dayBefore = addWorkingDays(firstMeetingDay, -1);
  return dayBefore < byRule && dayBefore >= summonsDate ? dayBefore : byRule;
}

/** "Skicka kallelse" on the intake card. Every field is checked here; the card's own checks can be bypassed. */
export async function submitIntake(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const values = (typeof data === 'object' && data !== null ? data : {}) as IntakeInput & { followsUp?: unknown };
  const now = deps.clock();
  // A follow-up meeting names the first; only a stored meeting counts, and only in the same municipality.
  const first = typeof values.followsUp === 'string' && /^m[0-9a-f]{16}$/.test(values.followsUp) ? (await deps.store.meetings.get(values.followsUp))?.value : undefined;
  const followsUp = first && first.intake.municipality === values.municipality ? first.id : undefined;
  // The refilled card replaces the message for everyone: a refused personnummer must not be in it.
  const shown = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' && containsPersonalIdentityNumber(v) ? '' : v]),
  ) as IntakeInput;
  const refill = (extra: { problems?: IntakeProblem[]; general?: string }) =>
    intakeCard({ values: shown, ...extra, followsUp: first?.id, deadlines: deadlinePreview(values, dateInStockholm(now)) });
  const place = turn.place;
  const cardActivityId = turn.cardActivityId;
  if (!cardActivityId) return refill({ general: sv.meeting.notYourThread });

  // The card acted on must be an intake card: not a status, summons or plan card of a meeting in this thread.
  for (const link of await deps.store.threads.meetingsIn(place.conversationId)) {
    const other = (await deps.store.meetings.get(link.meetingId))?.value;
    const cards = other ? [other.convener.statusActivityId, ...Object.values(other.summons).map((s) => s?.activityId), ...Object.values(other.planCards)] : [];
    if (other && other.id !== meetingIdFor(place.conversationId, cardActivityId) && cards.includes(cardActivityId)) return sv.meeting.notYourThread;
  }
  const meetingId = meetingIdFor(place.conversationId, cardActivityId);
  const existing = await deps.store.meetings.get(meetingId);
  if (existing) {
    // A retry after a failure just after the meeting was stored finishes what that attempt began.
    await linkConvener(deps, existing.value, turn.actor.id, now);
    return statusCard(existing.value);
  }

  const blank = typeof values.caseReference !== 'string' || values.caseReference.trim() === '';
  if (blank && typeof values.municipality === 'string' && isMunicipality(values.municipality)) {
    values.caseReference = await deps.store.caseReferences.propose(values.municipality, Number(dateInStockholm(now).slice(0, 4)));
  }
  const result = validateIntake(values, now);
  if (!result.ok) return refill({ problems: result.problems });
  const intake = result.intake;

  const channels = await Promise.all(intake.summoned.map((party) => deps.store.intakeChannels.get(intake.municipality, party)));
  const missing = intake.summoned.filter((_, i) => !channels[i]);
  if (missing.length > 0) {
    return refill({ general: sv.intake.missingChannels(missing.map((p) => sv.party[p]).join(' och '), intake.municipality) });
  }

  if (!(await deps.store.caseReferences.claim({ municipality: intake.municipality, caseReference: intake.caseReference, meetingId }))) {
    return refill({ problems: [{ field: 'caseReference', code: 'invalid' }], general: sv.intake.caseReferenceTaken });
  }

  const summonsDate = dateInStockholm(now);
  const summons = Object.fromEntries(
    intake.summoned.map((party, i) => {
      const channel = channels[i]!.value;
      const delivery: SummonsDelivery = {
        tenantId: channel.tenantId,
        teamId: channel.teamId,
        channelId: channel.channelId,
        serviceUrl: channel.serviceUrl,
        conversationReference: channel.conversationReference,
      };
      return [party, delivery];
    }),
  );
  const createdBy = turn.actor.person;
  const meeting: Meeting = {
    id: meetingId,
    state: 'summoning',
    intake,
    answers: {},
    createdAt: now.toISOString(),
    createdBy,
    deadlines: { ...deadlinesFor(intake, summonsDate), replyBy: replyBy(summonsDate, intake) },
    convener: { conversationId: place.conversationId, statusActivityId: cardActivityId, conversationReference: turn.reference },
    summons,
    pending: [...intake.summoned.map((party) => pendingSend('summons', { party })), pendingSend('refreshStatus')],
    plan: {},
    planCards: {},
    reminderRefs: [],
    followsUp,
  };

  // Mark the outbox first: if the bot dies after the meeting is stored, a restart still finds its sends.
  await deps.store.outbox.mark(meetingId, now);
  try {
    await deps.store.meetings.create(meeting);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const winner = await deps.store.meetings.get(meetingId);
    return winner ? statusCard(winner.value) : sv.meeting.unknownMeeting;
  }

  // Marked again: a drain that read the first mark before the meeting existed may have cleared it.
  await deps.store.outbox.mark(meetingId, now);
  const actor = turn.actor.id;
  const key = meetingId;
  for (const [action, details] of [
    ['meetingCreated', { caseReference: intake.caseReference, municipality: intake.municipality, convener: intake.convener, summoned: intake.summoned.join(',') }],
    ['consentRecorded', { date: intake.consent.date, from: intake.consent.from.join(','), parties: intake.consent.parties.join(',') }],
  ] as const) {
    await deps.store.audit.append({ at: now.toISOString(), actor, action, entity: 'Meeting', key, details: { ...details, actorAad: createdBy.aadObjectId ?? '' } });
  }
  await linkConvener(deps, meeting, actor, now);
  deps.log.info({ meetingId, municipality: intake.municipality, summoned: intake.summoned.length }, 'meeting created');
  return statusCard(meeting);
}
