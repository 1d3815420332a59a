import { createHash } from 'node:crypto';
import { z } from 'zod';
import { disagreementCard, disagreementFormCard, type DisagreementFormValues } from '../../cards/disagreementCards';
import type { AdaptiveCardJson } from '../../cards/render';
import type { SummonableParty } from '../../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { ESCALATION_LEVELS, type Disagreement } from '../../store/disagreementRepository';
import type { Meeting } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import { memberHere } from '../authority';
import type { BotDeps } from '../deps';
import { meetingOfThisThread } from './meetingAccess';
import type { Turn } from '../turn';

const guarded = (max: number) => z.string().trim().max(max).refine((v) => !containsPersonalIdentityNumber(v), 'personnummer');

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

/** The parties of a meeting: the convener and those summoned. */
function partiesOf(meeting: Meeting): SummonableParty[] {
  return [...new Set<SummonableParty>([meeting.intake.convener, ...meeting.intake.summoned])];
}

function formMeeting(meeting: Meeting) {
  return { id: meeting.id, caseReference: meeting.intake.caseReference, parties: partiesOf(meeting) };
}

/** The meeting whose thread this is (the convener's thread or a party's summons thread). */
async function meetingOfThread(turn: Turn, deps: BotDeps): Promise<Meeting | string> {
  const found = await meetingInThread(turn, deps);
  return typeof found === 'string' ? found : found.meeting.value;
}

function meetingInThread(turn: Turn, deps: BotDeps) {
  return meetingOfThisThread(turn, deps, { none: sv.disagreement.noMeetingHere, several: sv.disagreement.severalMeetingsHere });
}

/** `norrbus oenighet` in a meeting's thread: the form, with the meeting's parties to choose among. */
export async function startDisagreement(turn: Turn, deps: BotDeps): Promise<void> {
  const meeting = await meetingOfThread(turn, deps);
  if (typeof meeting === 'string') {
    await turn.send(meeting);
    return;
  }
  await turn.sendCard(disagreementFormCard(formMeeting(meeting)));
}

/** What the form sent, safe to show again: a refused personnummer is not sent back. */
function formValues(raw: Record<string, unknown>): Partial<DisagreementFormValues> {
  const pick = (key: keyof DisagreementFormValues) => (typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 1000) : '');
  const values = { parties: pick('parties'), question: pick('question'), level: pick('level') };
  for (const key of Object.keys(values) as (keyof DisagreementFormValues)[]) if (containsPersonalIdentityNumber(values[key])) values[key] = '';
  return values;
}

async function postToForum(deps: BotDeps, disagreement: Disagreement): Promise<Disagreement['posts']['forum']> {
  const channel = await deps.store.intakeChannels.get(disagreement.municipality, 'forum');
  if (!channel) return undefined;
  const { threadId, activityId } = await deps.connector.startThread(channel.value, disagreementCard(disagreement, 'forum'));
  return { threadId, activityId, conversationReference: channel.value.conversationReference };
}

/** "Registrera oenighet": checked, stored once per card, audited and posted to the municipality's forum. */
export async function submitDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const found = await meetingInThread(turn, deps);
  if (typeof found === 'string') return found;
  const meeting = found.meeting.value;
  // The recording party is the thread's: the convener's thread, or a summoned party's own thread.
  const recordingParty = found.role === 'convener' ? meeting.intake.convener : found.role;
  const cardActivityId = turn.cardActivityId;
  if (raw.meetingId !== meeting.id || !cardActivityId) return sv.disagreement.notThisMeeting;

  const conversationId = turn.place.conversationId;
  const municipality = meeting.intake.municipality;
  const id = `o${createHash('sha256').update(`${conversationId}|${cardActivityId}`).digest('hex').slice(0, 12)}`;
  const existing = await deps.store.disagreements.get(municipality, id);
  if (existing?.value.posts.forum) return disagreementCard(existing.value, 'meeting', '', sv.disagreement.registered(existing.value.reference));

  let stored = existing?.value;
  if (!stored) {
    const allowed = partiesOf(meeting);
    const schema = z.object({
      parties: z
        .string()
        .transform((v) => [...new Set(v.split(',').map((p) => p.trim()).filter(Boolean))])
        .pipe(z.array(z.enum(allowed as [SummonableParty, ...SummonableParty[]])).min(2)),
      question: guarded(1000).pipe(z.string().min(1)),
      level: z.enum(ESCALATION_LEVELS),
    });
    const parsed = schema.safeParse({ parties: typeof raw.parties === 'string' ? raw.parties : '', question: raw.question, level: raw.level });
    if (!parsed.success) {
      const personnummer = parsed.error.issues.some((i) => i.message === 'personnummer');
      return disagreementFormCard(formMeeting(meeting), formValues(raw), personnummer ? sv.disagreement.personnummer : sv.disagreement.required);
    }
    const now = deps.clock();
    const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId, party: recordingParty };
    const reference = await deps.store.disagreements.nextReference(municipality, now.getFullYear());
    const threadReference = turn.reference;
    const created: Disagreement = {
      municipality,
      id,
      meetingId: meeting.id,
      caseReference: meeting.intake.caseReference,
      reference,
      parties: parsed.data.parties,
      question: parsed.data.question,
      level: parsed.data.level,
      status: 'open',
      createdAt: now.toISOString(),
      createdBy: by,
      escalations: [],
      posts: {
        meeting: {
          threadId: conversationId,
          activityId: cardActivityId,
          conversationReference: { ...threadReference, conversation: { ...threadReference.conversation, id: conversationId } },
        },
      },
    };
    created.effects = [
      auditEffect({ at: now.toISOString(), actor: by.id, action: 'disagreementRecorded', entity: 'Disagreement', key: id, details: { reference, meetingId: meeting.id, level: created.level, parties: created.parties.join(',') } }),
    ];
    // Created only if no one got there first: a card submitted twice records one disagreement.
    const result = await commitRecord(deps.store, { entity: 'Disagreement', partitionKey: municipality, rowKey: id }, now, () =>
      deps.store.disagreements.mutate(municipality, id, (current) => (current ? undefined : created)),
    );
    stored = result!.value;
  }

  // A forum whose Teams does not answer now gets it on the next click; the disagreement is kept.
  const forum = await postToForum(deps, stored).catch((error: Error) => {
    deps.log.warn({ err: { name: error.name } }, 'disagreement not posted to the forum; kept for another try');
    return undefined;
  });
  if (forum) stored = (await deps.store.disagreements.change(municipality, id, (d) => (d.posts.forum ? undefined : { ...d, posts: { ...d.posts, forum } })))!.value;
  deps.log.info({ municipality, level: stored.level, forum: Boolean(forum) }, 'disagreement recorded');
  const note = `${sv.disagreement.registered(stored.reference)} ${forum ? sv.disagreement.sentToForum : sv.disagreement.noForum(municipality)}`;
  return disagreementCard(stored, 'meeting', '', note);
}

/** The disagreement named in card data, acted on only from the forum's thread where it was posted. */
async function inForumThread(turn: Turn, deps: BotDeps, raw: Record<string, unknown>): Promise<Disagreement | string> {
  const municipality = MUNICIPALITIES.find((m) => m === raw.municipality) as Municipality | undefined;
  const found = municipality && typeof raw.id === 'string' ? await deps.store.disagreements.get(municipality, raw.id) : undefined;
  if (!found) return sv.disagreement.unknown;
  if (found.value.posts.forum?.threadId !== turn.place.conversationId) return sv.disagreement.onlyForum;
  return (await memberHere(turn)) ? found.value : sv.authority.guest;
}

/** The forum's copy answers the invoke; the meeting thread's copy is updated in place. */
async function updated(deps: BotDeps, disagreement: Disagreement): Promise<AdaptiveCardJson> {
  const post = disagreement.posts.meeting;
  if (post) {
    const reference = { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } };
    await deps.connector.updateCard(reference, post.activityId, disagreementCard(disagreement, 'meeting')).catch((error: Error) => {
      deps.log.warn({ err: { name: error.name } }, 'disagreement card in the meeting thread not updated');
    });
  }
  return disagreementCard(disagreement, 'forum');
}

/** A change the forum makes, written with its audit row; none when it changes nothing (a second click). */
function forumChange(turn: Turn, deps: BotDeps, found: Disagreement, action: string, apply: (d: Disagreement) => Disagreement | undefined) {
  return commitRecord(deps.store, { entity: 'Disagreement', partitionKey: found.municipality, rowKey: found.id }, deps.clock(), () =>
    deps.store.disagreements.change(found.municipality, found.id, (d) => {
      const next = apply(d);
      if (!next) return undefined;
      const audit = auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action, entity: 'Disagreement', key: d.id, details: { reference: next.reference, level: next.level, status: next.status } });
      return { ...next, effects: [...(d.effects ?? []), audit] };
    }),
  );
}

/** "Eskalera" (the forum): from ordinary management to Samverkansstruktur målgrupp barn och unga. */
export async function escalateDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const found = await inForumThread(turn, deps, record(data));
  if (typeof found === 'string') return found;
  if (found.status === 'resolved') return disagreementCard(found, 'forum', sv.disagreement.alreadyResolved);
  if (found.level === 'samverkansstruktur') return disagreementCard(found, 'forum', sv.disagreement.alreadyTop);
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const changed = await forumChange(turn, deps, found, 'disagreementEscalated', (d) =>
    d.status === 'open' && d.level === 'management'
      ? { ...d, level: 'samverkansstruktur', escalations: [...d.escalations, { from: 'management', to: 'samverkansstruktur', at, by }] }
      : undefined,
  );
  return updated(deps, changed!.value);
}

/** "Registrera lösning" (the forum): how it was resolved; status löst. */
export async function resolveDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const found = await inForumThread(turn, deps, raw);
  if (typeof found === 'string') return found;
  if (found.status === 'resolved') return disagreementCard(found, 'forum', sv.disagreement.alreadyResolved);
  const parsed = z.object({ resolution: guarded(1000).pipe(z.string().min(1)) }).safeParse(raw);
  if (!parsed.success) {
    const personnummer = parsed.error.issues.some((i) => i.message === 'personnummer');
    return disagreementCard(found, 'forum', personnummer ? sv.disagreement.personnummer : sv.disagreement.resolutionRequired);
  }
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const changed = await forumChange(turn, deps, found, 'disagreementResolved', (d) =>
    d.status === 'open' ? { ...d, status: 'resolved', resolution: { text: parsed.data.resolution, at, by } } : undefined,
  );
  return updated(deps, changed!.value);
}
