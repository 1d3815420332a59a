import { createHash } from 'node:crypto';
import { z } from 'zod';
import { noticeCard } from '../../cards/noticeCard';
import { commitmentConfirmCard, nothingFurtherCard, partiesOf, planCard, planText } from '../../cards/planCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { dateInStockholm } from '../../domain/calendar';
import { readMessage, type Commitment as ReadCommitment } from '../../domain/commitment';
import type { SummonableParty } from '../../domain/meeting';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { crashPoint } from '../../crashPoint';
import { commitCommitment, settleMeeting } from '../../scheduler/effects';
import type { Commitment, CommitmentStatus } from '../../store/commitmentRepository';
import { auditEffect, effect, type Effect } from '../../store/effects';
import { AlreadyExistsError } from '../../store/errors';
import { changeMeeting } from '../../store/meetingChange';
import { withPlanRefresh, type Meeting } from '../../store/meetingRepository';
import type { MeetingThread } from '../../store/threadRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { memberHere } from '../authority';
import { dateOrEmpty, guarded } from './fields';
import { meetingOfCardInThread, meetingOfThisThread, type MeetingInThread } from './meetingAccess';

type Role = MeetingThread['role'];
type Where = MeetingInThread;

/** The meeting whose thread this message is in (the convener's thread or a party's summons thread). */
function meetingOfThread(turn: Turn, deps: BotDeps): Promise<Where | string> {
  return meetingOfThisThread(turn, deps, { none: sv.commitment.noMeetingHere, several: sv.commitment.severalMeetingsHere });
}

/** The meeting a card names, in one of its threads; a cancelled meeting's plan no longer changes. */
async function meetingOfCard(turn: Turn, deps: BotDeps, data: Record<string, unknown>): Promise<Where | string> {
  const where = await meetingOfCardInThread(turn, deps, data.meetingId);
  if (typeof where !== 'string' && where.meeting.value.state === 'cancelled') return sv.commitment.meetingCancelled;
  return where;
}

function asRecord(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

const fieldsSchema = z.object({
  intervention: guarded(300).pipe(z.string().min(1, 'intervention')),
  scope: guarded(300).default(''),
  performer: guarded(200).default(''),
  followUpDate: dateOrEmpty.default(''),
});

function fieldError(error: z.ZodError): string {
  const messages = error.issues.map((i) => i.message);
  if (messages.includes('personnummer')) return sv.commitment.personnummer;
  if (messages.includes('tooLong')) return sv.commitment.tooLong;
  if (messages.includes('date')) return sv.commitment.invalidDate;
  if (messages.includes('party')) return sv.commitment.partyRequired;
  return sv.commitment.interventionRequired;
}

/** Sends a message about the case in this thread, and records where, so that erasure finds it. */
async function postAbout(turn: Turn, deps: BotDeps, meetingId: string, kind: 'card' | 'text', send: () => Promise<string | undefined>): Promise<void> {
  const activityId = await send();
  if (activityId) await deps.store.posts.record({ meetingId, activityId, conversationReference: turn.reference, kind, at: deps.clock().toISOString() });
}

/** What a change to a commitment causes: its audit row, the plan cards in every thread, the reminders. */
function commitmentEffects(turn: Turn, meetingId: string, at: string, action: string, details: Record<string, string>): Effect[] {
  return [
    auditEffect({ at, actor: turn.actor.id, action, entity: 'Commitment', key: meetingId, details: { ...details, actorAad: turn.actor.person.aadObjectId ?? '' } }),
    effect({ plans: meetingId }),
    effect({ reminders: meetingId }),
  ];
}

/** `norrbus åtagande <text>` in a meeting's thread: a confirmation card per commitment understood. Nothing is stored yet. */
export async function readCommitmentText(turn: Turn, deps: BotDeps, text: string): Promise<void> {
  if (containsPersonalIdentityNumber(text)) {
    await turn.send(sv.commitment.refusedPersonnummer);
    return;
  }
  const where = await meetingOfThread(turn, deps);
  if (typeof where === 'string') {
    await turn.send(where);
    return;
  }
  const meeting = where.meeting.value;
  if (meeting.state === 'cancelled') {
    await turn.send(sv.commitment.meetingCancelled);
    return;
  }
  const message = readMessage(text, dateInStockholm(deps.clock()));
  const read = message.commitments.slice(0, 5);
  const none = nothingFurtherOf(meeting, where.role, message.nothingFurther);
  if (read.length === 0 && none.length === 0) {
    await turn.send(sv.commitment.nothingUnderstood);
    return;
  }
  const ownParty = where.role === 'convener' ? undefined : where.role;
  if (read.length > 0) await postConfirmation(turn, deps, meeting, read.map((c) => ({ ...c, party: c.party && partiesOf(meeting).includes(c.party) ? c.party : (ownParty ?? null) })));
  for (const party of none) await postAbout(turn, deps, meeting.id, 'card', () => turn.sendCard(nothingFurtherCard(meeting, party)));
}

/** The meeting's parties a message says have nothing further; "oss" is the thread's party. */
function nothingFurtherOf(meeting: Meeting, role: Role, said: ReturnType<typeof readMessage>['nothingFurther']): SummonableParty[] {
  const own = role === 'convener' ? meeting.intake.convener : role;
  const parties = said.map((p) => (p === 'writer' ? own : p)).filter((p): p is SummonableParty => (partiesOf(meeting) as string[]).includes(p));
  return [...new Set(parties)].filter((p) => !(meeting.plan.nothingFurther ?? []).includes(p)).slice(0, 4);
}

/** "Stämmer" on "… har ingen insats – stämmer det?": the plan states it (the party's own people, or the convener). */
export async function confirmNothingFurther(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  const where = await meetingOfCard(turn, deps, raw);
  if (typeof where === 'string') return where;
  const party = partiesOf(where.meeting.value).find((p) => p === raw.party);
  if (!party) return sv.commitment.partyRequired;
  if (where.role !== 'convener' && where.role !== party) return sv.commitment.onlyOwnParty(sv.party[where.role]);
  const now = deps.clock();
  const { stored } = await changeMeeting(
    deps.store,
    where.meeting.value.id,
    now,
    (current) => {
      const listed = current.plan.nothingFurther ?? [];
      if (listed.includes(party)) return { result: undefined };
      const meeting = withPlanRefresh({ ...current, plan: { ...current.plan, nothingFurther: [...listed, party] } });
      const audit = auditEffect({ at: now.toISOString(), actor: turn.actor.id, action: 'nothingFurther', entity: 'Meeting', key: current.id, details: { party, actorAad: turn.actor.person.aadObjectId ?? '' } });
      return { meeting, effects: [audit], result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return noticeCard(sv.commitment.nothingFurtherSaved(sv.party[party], stored.value.intake.caseReference), '', 'good');
}

/** One confirmation card for what was read: a single commitment, or several on one card, each with its own "Spara". */
async function postConfirmation(turn: Turn, deps: BotDeps, meeting: Meeting, read: ReadCommitment[]): Promise<void> {
  const values = read.map((c) => ({ party: c.party ?? '', intervention: c.intervention ?? '', scope: c.scope ?? '', performer: c.performer ?? '', followUpDate: c.followUpDate ?? '' }));
  await postAbout(turn, deps, meeting.id, 'card', () => turn.sendCard(commitmentConfirmCard(meeting, values.length === 1 ? values[0] : values)));
}

/** Messages already answered, so that Teams delivering one again (a retry) gets no second card; bounded. */
const heard = new Set<string>();
const HEARD_KEPT = 2000;

function firstDelivery(key: string): boolean {
  if (heard.has(key)) return false;
  heard.add(key);
  if (heard.size > HEARD_KEPT) heard.delete(heard.values().next().value!);
  return true;
}

/**
 * A message in a channel or group chat that did not @mention the bot (Teams delivers these with
 * resource-specific consent). Only in the thread of one meeting that listens, and only when it
 * reads as a commitment (a responsible party and an intervention): a confirmation card per
 * commitment as a reply, once per message. Anything else is neither answered, stored nor logged.
 */
export async function listenForCommitments(turn: Turn, deps: BotDeps, text: string): Promise<void> {
  if (turn.place.conversationType === 'personal' || containsPersonalIdentityNumber(text)) return;
  const links = await deps.store.threads.meetingsIn(turn.place.conversationId);
  if (links.length !== 1) return;
  const meeting = (await deps.store.meetings.get(links[0].meetingId))?.value;
  if (!meeting || meeting.listening === false || meeting.state === 'cancelled' || meeting.closure) return;
  const parties = partiesOf(meeting);
  const message = readMessage(text, dateInStockholm(deps.clock()));
  const read = message.commitments.filter((c) => c.party && parties.includes(c.party) && c.intervention).slice(0, 5);
  const none = nothingFurtherOf(meeting, links[0].role, message.nothingFurther);
  if (read.length === 0 && none.length === 0) return;
  if (!(await memberHere(turn)) || !firstDelivery(`${turn.place.conversationId}|${turn.activityId ?? text}`)) return;
  if (read.length > 0) await postConfirmation(turn, deps, meeting, read);
  for (const party of none) await postAbout(turn, deps, meeting.id, 'card', () => turn.sendCard(nothingFurtherCard(meeting, party)));
}

/** "Spara" on a confirmation card: stores the commitment (once, however often it is clicked) and updates every plan card. */
export async function saveCommitment(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  const where = await meetingOfCard(turn, deps, raw);
  if (typeof where === 'string') return where;
  const meeting = where.meeting.value;
  // One card may hold several commitments: item i's inputs are suffixed "_i"; the others travel along.
  const item = typeof raw.item === 'string' && /^[0-4]$/.test(raw.item) ? Number(raw.item) : undefined;
  const count = item === undefined ? 1 : Math.max(item + 1, ...Object.keys(raw).map((k) => /^intervention_([0-4])$/.exec(k)).map((m) => (m ? Number(m[1]) + 1 : 0)));
  const saved = typeof raw.saved === 'string' ? [...new Set(raw.saved.split(',').filter((v) => /^[0-4]$/.test(v)).map(Number))].filter((i) => i < count) : [];
  const valuesOf = (i: number | undefined) => {
    const text = (key: string) => {
      const v = raw[i === undefined ? key : `${key}_${i}`];
      return typeof v === 'string' ? v : '';
    };
    return { party: text('party'), intervention: text('intervention'), scope: text('scope'), performer: text('performer'), followUpDate: text('followUpDate') };
  };
  const values = valuesOf(item);
  const party = partiesOf(meeting).find((p) => p === values.party);
  const fields = fieldsSchema.safeParse(values);
  // Checked whole, then cut only for showing again; a refused personnummer is never shown.
  const shownOf = (v: ReturnType<typeof valuesOf>) =>
    Object.values(v).some((x) => containsPersonalIdentityNumber(x))
      ? { party: partiesOf(meeting).find((p) => p === v.party) }
      : (Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.slice(0, 400)])) as typeof v);
  const all = Array.from({ length: count }, (_, i) => shownOf(valuesOf(item === undefined ? undefined : i)));
  const blanked = (error: string) => commitmentConfirmCard(meeting, item === undefined ? all[0] : all, error, saved);
  if (!party) return blanked(sv.commitment.partyRequired);
  if (!fields.success) return blanked(fieldError(fields.error));
  if (where.role !== 'convener' && where.role !== party) return blanked(sv.commitment.onlyOwnParty(sv.party[where.role]));

  const now = deps.clock().toISOString();
  const by = turn.actor.person;
  const card = `${turn.place.conversationId}|${turn.cardActivityId ?? ''}`;
  const id = `c${createHash('sha256').update(item === undefined ? card : `${card}|${item}`).digest('hex').slice(0, 16)}`;
  const commitment: Commitment = {
    meetingId: meeting.id,
    id,
    party,
    intervention: fields.data.intervention,
    scope: fields.data.scope,
    performer: fields.data.performer,
    followUpDate: fields.data.followUpDate || undefined,
    status: 'planned',
    createdAt: now,
    createdBy: by,
    updatedAt: now,
    updatedBy: by,
    effects: commitmentEffects(turn, meeting.id, now, 'commitmentSaved', { commitmentId: id, party }),
  };
  await commitCommitment(deps.store, meeting.id, deps.clock(), async () => {
    try {
      const created = await deps.store.commitments.create(commitment);
      crashPoint('commitment:stored');
      return created;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      // Saved by an earlier click: finish what that one began.
      return deps.store.commitments.get(meeting.id, id);
    }
  });
  const nowSaved = item === undefined ? [] : [...new Set([...saved, item])].sort();
  if (item !== undefined && nowSaved.length < count) return commitmentConfirmCard(meeting, all, '', nowSaved);
  return noticeCard(sv.commitment.saved(meeting.intake.caseReference), sv.commitment.savedDetail, 'good');
}

export async function cancelCommitmentCard(): Promise<AdaptiveCardJson> {
  return noticeCard(sv.commitment.cancelled);
}

async function changeCommitment(
  turn: Turn,
  deps: BotDeps,
  data: unknown,
  allowed: (role: Role, commitment: Commitment, meeting: Meeting) => string | undefined,
  apply: (commitment: Commitment) => Commitment | string,
  action: string,
): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  const where = await meetingOfCard(turn, deps, raw);
  if (typeof where === 'string') return where;
  const meetingId = where.meeting.value.id;
  const current = typeof raw.commitmentId === 'string' ? await deps.store.commitments.get(meetingId, raw.commitmentId) : undefined;
  if (!current) return sv.commitment.unknownCommitment;
  const refusal = allowed(where.role, current.value, where.meeting.value);
  if (refusal) return refusal;
  const next = apply(current.value);
  if (typeof next === 'string') return planCard(where.meeting.value, await deps.store.commitments.forMeeting(meetingId), { thread: where.role }, next);
  const by = turn.actor.person;
  const at = deps.clock().toISOString();
  const effects = commitmentEffects(turn, meetingId, at, action, { commitmentId: current.value.id, party: current.value.party });
  await commitCommitment(deps.store, meetingId, deps.clock(), () =>
    deps.store.commitments.change(meetingId, current.value.id, (c) => {
      const changed = apply(c);
      return typeof changed === 'string' ? undefined : { ...changed, updatedAt: at, updatedBy: by, effects: [...(c.effects ?? []), ...effects] };
    }),
  );
  const meeting = (await deps.store.meetings.get(meetingId))?.value ?? where.meeting.value;
  return planCard(meeting, await deps.store.commitments.forMeeting(meetingId), { thread: where.role });
}

const convenerOnly = (role: Role) => (role === 'convener' ? undefined : sv.commitment.onlyConvener);

/** "Ändra" (convener): new intervention, scope, performer or follow-up date. */
export function editCommitment(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  return changeCommitment(turn, deps, data, convenerOnly, (c) => {
    const fields = fieldsSchema.safeParse({
      intervention: typeof raw.intervention === 'string' ? raw.intervention : '',
      scope: typeof raw.scope === 'string' ? raw.scope : '',
      performer: typeof raw.performer === 'string' ? raw.performer : '',
      followUpDate: typeof raw.followUpDate === 'string' ? raw.followUpDate : '',
    });
    if (!fields.success) return fieldError(fields.error);
    return { ...c, ...fields.data, followUpDate: fields.data.followUpDate || undefined };
  }, 'commitmentEdited');
}

/** "Återkalla" (convener). */
export function withdrawCommitment(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  return changeCommitment(turn, deps, data, convenerOnly, (c) => ({ ...c, status: 'withdrawn' }), 'commitmentWithdrawn');
}

/** "Påbörjad" / "Genomförd": only the responsible party, in its own thread. */
export function markCommitment(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const status = asRecord(data).status;
  if (status !== 'started' && status !== 'done') return Promise.resolve(sv.commitment.unknownCommitment);
  return changeCommitment(
    turn,
    deps,
    data,
    (role, c, meeting) =>
      c.status === 'withdrawn'
        ? sv.commitment.unknownCommitment
        : (role === 'convener' ? meeting.intake.convener : role) === c.party
          ? undefined
          : sv.commitment.onlyResponsible,
    (c) => ({ ...c, status: status as CommitmentStatus }),
    status === 'done' ? 'commitmentDone' : 'commitmentStarted',
  );
}

/** "Kopiera till journal": the plan as plain text in the thread, to paste into the party's own record. */
export async function exportPlan(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const where = await meetingOfCard(turn, deps, asRecord(data));
  if (typeof where === 'string') return where;
  const commitments = await deps.store.commitments.forMeeting(where.meeting.value.id);
  await postAbout(turn, deps, where.meeting.value.id, 'text', () => turn.send(`${planText(where.meeting.value, commitments)}\n\n${sv.plan.exportNote}`));
  return planCard(where.meeting.value, commitments, { thread: where.role });
}

/** `norrbus plan` in a meeting's thread: the plan card, or with "text" the plan as text. */
export async function showPlan(turn: Turn, deps: BotDeps, asText: boolean): Promise<void> {
  const where = await meetingOfThread(turn, deps);
  if (typeof where === 'string') {
    await turn.send(where === sv.commitment.noMeetingHere ? sv.plan.noPlanHere : where);
    return;
  }
  const commitments = await deps.store.commitments.forMeeting(where.meeting.value.id);
  const meetingId = where.meeting.value.id;
  if (asText) await postAbout(turn, deps, meetingId, 'text', () => turn.send(planText(where.meeting.value, commitments)));
  else await postAbout(turn, deps, meetingId, 'card', () => turn.sendCard(planCard(where.meeting.value, commitments, { snapshotAt: deps.clock() })));
}
