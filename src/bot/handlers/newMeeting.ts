import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { intakeCard, type ConveningChoices, type FieldMessage } from '../../cards/intakeCard';
import { deadlineText, statusCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { dateInStockholm } from '../../domain/calendar';
import { deadlinesFor, validateIntake, type IntakeInput, type IntakeProblem } from '../../domain/intake';
import { CONVENING_PARTIES, SUMMONABLE_PARTIES, type Intake, type SummonableParty } from '../../domain/meeting';
import { replyByFor, type LocalPractice } from '../../domain/localPractice';
import { isMunicipality, type Municipality } from '../../domain/municipality';
import { mayActAs } from '../../domain/organisation';
import { maskPersonalIdentityNumbers } from '../../domain/privacy';
import { crashPoint } from '../../crashPoint';
import { auditEffect, effect, type Effect } from '../../store/effects';
import { AlreadyExistsError } from '../../store/errors';
import { createMeeting } from '../../store/meetingChange';
import type { IntakeChannel } from '../../store/intakeChannelRepository';
import { pendingSend, summonsDeliveryTo, type Meeting } from '../../store/meetingRepository';
import { settleMeeting } from '../../scheduler/effects';
import { sv } from '../../texts/sv';
import { actAs, channelsOfSender, registrationsHere, type Authority } from '../authority';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

/** Where the sender may convene from here, and as what; or why not. */
type ConveningHere = { registrations: IntakeChannel[]; allowed: ConveningChoices } | string;

/** Who may convene: the three, and for a follow-up meeting the party the first meeting named (any party). */
function convenersFor(followUpConvener?: SummonableParty): readonly SummonableParty[] {
  return followUpConvener && !(CONVENING_PARTIES as readonly string[]).includes(followUpConvener) ? [...CONVENING_PARTIES, followUpConvener] : CONVENING_PARTIES;
}

const mayConvene = (party: string, conveners: readonly SummonableParty[]): party is SummonableParty => (conveners as readonly string[]).includes(party);

/**
 * In a registered intake channel: its party and municipality, nothing else. In a personal chat:
 * what the sender's organisation may convene as (checked against team membership on submit).
 */
async function conveningHere(turn: Turn, deps: BotDeps, conveners: readonly SummonableParty[] = CONVENING_PARTIES): Promise<ConveningHere> {
  const organisation = turn.actor.organisation;
  if (turn.place.conversationType === 'channel') {
    const registrations = (await registrationsHere(turn, deps)).filter((r) => mayConvene(r.party, conveners) && mayActAs(organisation, r.party, r.municipality));
    if (registrations.length === 0) return sv.authority.startFromChannel;
    const allowed = { municipalities: unique(registrations.map((r) => r.municipality)), conveners: unique(registrations.map((r) => r.party as SummonableParty)) };
    return { registrations, allowed };
  }
  if (turn.place.conversationType !== 'personal') return sv.authority.startFromChannel;
  const grants = organisation.grants.filter((g) => mayConvene(g.party, conveners));
  if (grants.length === 0) return sv.authority.startFromChannel;
  return {
    registrations: [],
    allowed: { municipalities: unique(grants.flatMap((g) => g.municipalities)), conveners: unique(grants.map((g) => g.party as SummonableParty)) },
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * From a personal chat, what the card can preset: the municipality and convening party when the
 * grants allow only one, or else when the sender belongs to the intake channel team of only one.
 */
async function presetFromMemberships(turn: Turn, deps: BotDeps, allowed: ConveningChoices): Promise<{ municipality?: Municipality; convener?: SummonableParty }> {
  const single = <T>(values: readonly T[]): T | undefined => (values.length === 1 ? values[0] : undefined);
  let municipality = single(allowed.municipalities) as Municipality | undefined;
  let convener = single(allowed.conveners);
  if (municipality && convener) return { municipality, convener };
  const mine = (await channelsOfSender(turn, deps, allowed.conveners)).filter((c) => allowed.municipalities.includes(c.municipality) && (!convener || c.party === convener));
  municipality ??= single(unique(mine.map((c) => c.municipality)));
  convener ??= single(unique(mine.filter((c) => !municipality || c.municipality === municipality).map((c) => c.party as SummonableParty)));
  return { municipality, convener };
}

/** `norrbus nytt möte`: the intake card, preset from the channel's registration, or from what the person belongs to. */
export async function startNewMeeting(turn: Turn, deps: BotDeps): Promise<void> {
  const here = await conveningHere(turn, deps);
  if (typeof here === 'string') {
    await turn.send(here);
    return;
  }
  const registration = here.registrations[0];
  const { convener, municipality } = registration
    ? { convener: registration.party as SummonableParty, municipality: registration.municipality }
    : await presetFromMemberships(turn, deps, here.allowed);
  const today = dateInStockholm(deps.clock());
  const others = convener ? CONVENING_PARTIES.filter((p) => p !== convener).join(',') : '';
  const caseReference = municipality ? await deps.store.caseReferences.propose(municipality, Number(today.slice(0, 4))) : '';
  const values: IntakeInput = {
    municipality: municipality ?? '',
    convener: convener ?? '',
    summoned: others,
    consentParties: others,
    consentFrom: 'ungdomen,vardnadshavare',
    consentDate: today,
    caseReference,
    urgent: 'false',
    placedOutsideHome: 'false',
    consentConfirmed: 'false',
  };
  await turn.sendCard(intakeCard({ values, deadlines: deadlinePreview(values, today, deps.config.localPractice), allowed: here.allowed, today, proposedReference: caseReference }));
}

/** The deadlines the card can already show: from the consent date, if the summons goes out today. */
function deadlinePreview(values: IntakeInput, today: string, practice: LocalPractice): string {
  const consentDate = typeof values.consentDate === 'string' ? values.consentDate : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(consentDate) || !DateTime.fromISO(consentDate).isValid || consentDate > today) return '';
  const urgent = values.urgent === true || values.urgent === 'true';
  const deadlines = deadlinesFor({ consent: { date: consentDate, from: [], parties: [] }, urgent }, today, practice);
  return deadlineText({ urgent, proposedTimes: [] }, deadlines);
}

/** What a new meeting causes: its audit rows, the convener's thread and "mina möten" links, its reminders. */
function convenerEffects(meetingId: string, intake: Intake, turn: Turn, now: Date): Effect[] {
  const at = now.toISOString();
  const actor = turn.actor.id;
  const actorAad = turn.actor.person.aadObjectId ?? '';
  return [
    auditEffect({ at, actor, action: 'meetingCreated', entity: 'Meeting', key: meetingId, details: { caseReference: intake.caseReference, municipality: intake.municipality, convener: intake.convener, summoned: intake.summoned.join(','), actorAad } }),
    auditEffect({ at, actor, action: 'consentRecorded', entity: 'Meeting', key: meetingId, details: { date: intake.consent.date, from: intake.consent.from.join(','), parties: intake.consent.parties.join(','), actorAad } }),
    effect({ thread: { conversationId: turn.place.conversationId, meetingId, role: 'convener' } }),
    effect({ userMeeting: { userId: actor, meetingId, role: 'convener', party: intake.convener, at } }),
    effect({ reminders: meetingId }),
  ];
}

/** One meeting per intake card: a second click on the same card finds the same meeting. */
function meetingIdFor(conversationId: string, cardActivityId: string): string {
  return `m${createHash('sha256').update(`${conversationId}|${cardActivityId}`).digest('hex').slice(0, 16)}`;
}

/** The valid summonable parties a card names (the field's own problems are the validation's). */
function summonedOn(values: IntakeInput): SummonableParty[] {
  const raw = typeof values.summoned === 'string' ? values.summoned.split(',').map((p) => p.trim()) : [];
  return unique(raw.filter((p): p is SummonableParty => (SUMMONABLE_PARTIES as readonly string[]).includes(p) && p !== values.convener));
}

/** The free-text fields a personnummer can be typed into, and that come back masked when it is. */
const TEXT_FIELDS = ['caseReference', 'purpose', 'place'] as const;

/**
 * "Skicka kallelse" on the intake card. Every field is checked here (the card's own checks can be
 * bypassed), and every problem is reported at once: the field rules, the authority to convene, the
 * summoned parties' channels and the case reference, each under its field, with every value kept.
 */
export async function submitIntake(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const values = { ...((typeof data === 'object' && data !== null ? data : {}) as IntakeInput & { followsUp?: unknown }) };
  const now = deps.clock();
  const today = dateInStockholm(now);
  // A follow-up meeting names the first; only a stored meeting counts, and only in the same municipality.
  const first = typeof values.followsUp === 'string' && /^m[0-9a-f]{16}$/.test(values.followsUp) ? (await deps.store.meetings.get(values.followsUp))?.value : undefined;
  const followsUp = first && first.intake.municipality === values.municipality ? first.id : undefined;
  // The refilled card replaces the message for everyone: a refused personnummer is masked in it, never shown back.
  const shown = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? maskPersonalIdentityNumbers(v, sv.intake.maskedNumber) : v]),
  ) as IntakeInput;
  const conveners = convenersFor(followsUp ? (first!.plan.followUpConvener ?? first!.intake.convener) : undefined);
  const here = await conveningHere(turn, deps, conveners);
  const allowed = typeof here === 'string' ? undefined : here.allowed;
  const problems: (IntakeProblem | FieldMessage)[] = [];
  const general: string[] = [];
  let proposed: string | undefined;
  const refill = () =>
    intakeCard({ values: shown, problems, general, followsUp: first?.id, deadlines: deadlinePreview(values, today, deps.config.localPractice), allowed, today, proposedReference: proposed });
  const place = turn.place;
  const cardActivityId = turn.cardActivityId;
  if (!cardActivityId) {
    general.push(sv.meeting.notYourThread);
    return refill();
  }

  // The card acted on must be an intake card: not a status, summons or plan card of a meeting in this thread.
  for (const link of await deps.store.threads.meetingsIn(place.conversationId)) {
    const other = (await deps.store.meetings.get(link.meetingId))?.value;
    const cards = other ? [other.convener.statusActivityId, ...Object.values(other.summons).map((s) => s?.activityId), ...Object.values(other.planCards)] : [];
    if (other && other.id !== meetingIdFor(place.conversationId, cardActivityId) && cards.includes(cardActivityId)) return sv.meeting.notYourThread;
  }
  const meetingId = meetingIdFor(place.conversationId, cardActivityId);
  const existing = await deps.store.meetings.get(meetingId);
  if (existing) {
    const stored = existing.value;
    if (stored.convener.tenantId && stored.convener.tenantId.toLowerCase() !== turn.actor.tenantId.toLowerCase()) return sv.meeting.notYourThread;
    // A retry after a failure just after the meeting was stored finishes what that attempt began
    // (its links and audit rows were written with the meeting); a replay links nobody new.
    await settleMeeting(deps.store, stored.id);
    return statusCard(stored);
  }

  if (typeof here === 'string') {
    general.push(here);
    return refill();
  }
  // In an intake channel the channel is the convener: a card naming another party or municipality
  // comes back with the channel's, and the rest is checked as it will be sent.
  if (here.registrations.length > 0 && !here.registrations.some((r) => r.municipality === values.municipality && r.party === values.convener)) {
    const own = here.registrations[0];
    Object.assign(values, { municipality: own.municipality, convener: own.party });
    Object.assign(shown, { municipality: own.municipality, convener: own.party });
    general.push(sv.authority.convenerIsChannel(sv.party[own.party], own.municipality));
  }

  const municipality = typeof values.municipality === 'string' && isMunicipality(values.municipality) ? values.municipality : undefined;
  const year = Number(today.slice(0, 4));
  const blank = typeof values.caseReference !== 'string' || values.caseReference.trim() === '';
  if (blank && municipality) {
    proposed = await deps.store.caseReferences.propose(municipality, year);
    values.caseReference = proposed;
    shown.caseReference = proposed;
  }
  const result = validateIntake(values, now, conveners);
  if (!result.ok) problems.push(...result.problems);
  // A number masked on the card last time and sent back as it was is still a number to remove.
  for (const field of TEXT_FIELDS) {
    const value = values[field];
    if (typeof value === 'string' && value.toUpperCase().includes(sv.intake.maskedNumber)) problems.push({ field, code: 'personnummer' });
  }
  const hasProblem = (field: string) => problems.some((p) => p.field === field);

  // What only storage and Teams can tell, checked as far as the fields allow, in the same answer.
  const convener = typeof values.convener === 'string' && mayConvene(values.convener, conveners) && !hasProblem('convener') ? values.convener : undefined;
  let authority: Authority | undefined;
  if (municipality && convener) {
    authority = await actAs(turn, deps, convener, municipality);
    if (!authority.ok) problems.push({ field: 'convener', message: authority.message });
  }
  const summoned = summonedOn(values);
  const channels = municipality ? await Promise.all(summoned.map((party) => deps.store.intakeChannels.get(municipality, party))) : [];
  if (municipality && (!convener || mayActAs(turn.actor.organisation, convener, municipality))) {
    const missing = summoned.filter((_, i) => !channels[i]);
    if (missing.length > 0) problems.push({ field: 'summoned', message: sv.intake.missingChannels(missing.map((p) => sv.party[p]).join(' och '), municipality) });
  }
  const caseReference = typeof values.caseReference === 'string' ? values.caseReference.trim().toUpperCase() : '';
  if (municipality && caseReference && !hasProblem('caseReference')) {
    const claimed = await deps.store.caseReferences.find(municipality, caseReference);
    if (claimed && claimed.value.meetingId !== meetingId) {
      proposed ??= await deps.store.caseReferences.propose(municipality, year);
      problems.push({ field: 'caseReference', message: sv.intake.caseReferenceTaken(caseReference, municipality, proposed) });
    }
  }
  if (municipality && !proposed && hasProblem('caseReference')) proposed = await deps.store.caseReferences.propose(municipality, year);
  if (!result.ok || problems.length > 0 || general.length > 0 || !authority?.ok) return refill();
  const intake = result.intake;

  if (!(await deps.store.caseReferences.claim({ municipality: intake.municipality, caseReference: intake.caseReference, meetingId }))) {
    proposed = await deps.store.caseReferences.propose(intake.municipality, year);
    problems.push({ field: 'caseReference', message: sv.intake.caseReferenceTaken(intake.caseReference, intake.municipality, proposed) });
    return refill();
  }

  const summonsDate = dateInStockholm(now);
  const summons = Object.fromEntries(
    intake.summoned.map((party) => {
      const channel = channels[summoned.indexOf(party)]!.value;
      const delivery = summonsDeliveryTo(channel);
      return [party, delivery];
    }),
  );
  const createdBy = { ...turn.actor.person, organisation: turn.actor.organisation.name };
  const meeting: Meeting = {
    id: meetingId,
    state: 'summoning',
    intake,
    answers: {},
    createdAt: now.toISOString(),
    createdBy,
    deadlines: {
      ...deadlinesFor(intake, summonsDate, deps.config.localPractice),
      replyBy: replyByFor(summonsDate, intake.urgent, intake.proposedTimes[0].slice(0, 10), deps.config.localPractice),
    },
    convener: { tenantId: turn.actor.tenantId, conversationId: place.conversationId, statusActivityId: cardActivityId, conversationReference: turn.reference },
    summons,
    pending: [...intake.summoned.map((party) => pendingSend('summons', { party })), pendingSend('refreshStatus')],
    plan: {},
    planCards: {},
    reminderRefs: [],
    followsUp,
    effects: convenerEffects(meetingId, intake, turn, now),
  };

  crashPoint('intake:claimed');
  try {
    await createMeeting(deps.store, meeting, now, async (store, id, known) => {
      crashPoint('intake:stored');
      await settleMeeting(store, id, known);
    });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const winner = await deps.store.meetings.get(meetingId);
    return winner ? statusCard(winner.value) : sv.meeting.unknownMeeting;
  }
  deps.log.info({ meetingId, municipality: intake.municipality, summoned: intake.summoned.length }, 'meeting created');
  return statusCard(meeting);
}
