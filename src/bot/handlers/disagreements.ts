import { createHash } from 'node:crypto';
import { z } from 'zod';
import { disagreementCard, disagreementFormCard, type DisagreementFormValues } from '../../cards/disagreementCards';
import type { AdaptiveCardJson } from '../../cards/render';
import type { SummonableParty } from '../../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { DISAGREEMENT_POSTS, type Disagreement, type DisagreementPost } from '../../store/disagreementRepository';
import { threadReferenceOf, type Meeting } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import type { BotDeps } from '../deps';
import { meetingOfCardInThread, meetingOfThisThread, type MeetingInThread } from './meetingAccess';
import type { Turn } from '../turn';

const guarded = (max: number) => z.string().trim().max(max).refine((v) => !containsPersonalIdentityNumber(v), 'personnummer');

/** A level of a party's own management, in its words ("enhetschef", "verksamhetschef", "förvaltningschef"): short, no personnummer. */
const managementLevel = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((v) => !containsPersonalIdentityNumber(v), 'personnummer')
  .refine((v) => /^[\p{L}][\p{L}\p{N} ,./&-]*$/u.test(v), 'level');

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

function meetingInThread(turn: Turn, deps: BotDeps) {
  return meetingOfThisThread(turn, deps, { none: sv.disagreement.noMeetingHere, several: sv.disagreement.severalMeetingsHere });
}

/** The party whose window onto the meeting a thread is: the convener's, or a summoned party's own. */
function partyOfThread(where: MeetingInThread): SummonableParty {
  return where.role === 'convener' ? where.meeting.value.intake.convener : where.role;
}

/** `norrbus oenighet` in a meeting's thread: the form, with the meeting's parties to choose among. */
export async function startDisagreement(turn: Turn, deps: BotDeps): Promise<void> {
  const found = await meetingInThread(turn, deps);
  if (typeof found === 'string') {
    await turn.send(found);
    return;
  }
  await turn.sendCard(disagreementFormCard(formMeeting(found.meeting.value)));
}

/** What the form sent, safe to show again: a refused personnummer is not sent back. */
function formValues(raw: Record<string, unknown>): Partial<DisagreementFormValues> {
  const pick = (key: keyof DisagreementFormValues) => (typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 1000) : '');
  const values = { parties: pick('parties'), question: pick('question'), managementLevel: pick('managementLevel') };
  for (const key of Object.keys(values) as (keyof DisagreementFormValues)[]) if (containsPersonalIdentityNumber(values[key])) values[key] = '';
  return values;
}

/** Which party's thread a post of the disagreement is in (the forum's is none). */
function partyOfPost(disagreement: Disagreement, key: DisagreementPost): SummonableParty | undefined {
  if (key === 'forum') return undefined;
  if (key === 'meeting') return disagreement.createdBy.party;
  return key;
}

function cardOf(disagreement: Disagreement, key: DisagreementPost, error = '', note = ''): AdaptiveCardJson {
  if (key === 'forum') return disagreementCard(disagreement, 'forum', error, note);
  const party = partyOfPost(disagreement, key);
  return disagreementCard(disagreement, party && disagreement.parties.includes(party) ? 'party' : 'meeting', error, note, party);
}

/**
 * Posts the disagreement where it is not posted yet: the forum of the case's area (informed, not
 * the one deciding) and each disagreeing party's own thread of the meeting, where that party takes
 * it up in its management. A Teams service that does not answer leaves that post for another click.
 */
async function deliver(deps: BotDeps, meeting: Meeting, disagreement: Disagreement): Promise<{ stored: Disagreement; forum: boolean }> {
  const posts: Partial<Record<DisagreementPost, NonNullable<Disagreement['posts']['forum']>>> = {};
  if (!disagreement.posts.forum) {
    const area = await deps.store.intakeChannels.caseForumArea(meeting.intake.municipality, meeting.intake.convener);
    const forum = await deps.store.intakeChannels.forumFor(meeting.intake.municipality, area);
    if (forum) {
      try {
        const { threadId, activityId } = await deps.connector.startThread(forum, cardOf(disagreement, 'forum'));
        posts.forum = { threadId, activityId, conversationReference: forum.conversationReference };
      } catch (error) {
        deps.log.warn({ err: { name: (error as Error).name } }, 'disagreement not posted to the forum; kept for another try');
      }
    }
  }
  for (const party of disagreement.parties) {
    if (party === disagreement.createdBy.party || disagreement.posts[party]) continue;
    const reference = threadReferenceOf(meeting, party === meeting.intake.convener ? 'convener' : party);
    if (!reference) continue;
    try {
      const activityId = await deps.connector.sendCard(reference, cardOf(disagreement, party));
      posts[party] = { threadId: reference.conversation.id, activityId, conversationReference: reference };
    } catch (error) {
      deps.log.warn({ err: { name: (error as Error).name } }, 'disagreement not posted to a party thread; kept for another try');
    }
  }
  if (Object.keys(posts).length === 0) return { stored: disagreement, forum: Boolean(disagreement.posts.forum) };
  const changed = await deps.store.disagreements.change(disagreement.municipality, disagreement.id, (d) => {
    const merged = { ...d.posts };
    for (const [key, post] of Object.entries(posts) as [DisagreementPost, NonNullable<Disagreement['posts']['forum']>][]) merged[key] = merged[key] ?? post;
    return { ...d, posts: merged };
  });
  const stored = changed?.value ?? disagreement;
  return { stored, forum: Boolean(stored.posts.forum) };
}

/**
 * "Registrera oenighet": checked, stored once per card and audited; the recording party is the
 * thread's. The forum is informed, each disagreeing party gets it in its own thread of the meeting.
 */
export async function submitDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const found = await meetingInThread(turn, deps);
  if (typeof found === 'string') return found;
  const meeting = found.meeting.value;
  const recordingParty = partyOfThread(found);
  const cardActivityId = turn.cardActivityId;
  if (raw.meetingId !== meeting.id || !cardActivityId) return sv.disagreement.notThisMeeting;

  const conversationId = turn.place.conversationId;
  const municipality = meeting.intake.municipality;
  const id = `o${createHash('sha256').update(`${conversationId}|${cardActivityId}`).digest('hex').slice(0, 12)}`;
  const existing = await deps.store.disagreements.get(municipality, id);

  let stored = existing?.value;
  if (!stored) {
    const allowed = partiesOf(meeting);
    const schema = z.object({
      parties: z
        .string()
        .transform((v) => [...new Set(v.split(',').map((p) => p.trim()).filter(Boolean))])
        .pipe(z.array(z.enum(allowed as [SummonableParty, ...SummonableParty[]])).min(2)),
      question: guarded(1000).pipe(z.string().min(1)),
      managementLevel: z.union([z.literal(''), managementLevel]).default(''),
    });
    const parsed = schema.safeParse({
      parties: typeof raw.parties === 'string' ? raw.parties : '',
      question: raw.question,
      managementLevel: typeof raw.managementLevel === 'string' ? raw.managementLevel.trim() : '',
    });
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const error = issues.some((i) => i.message === 'personnummer')
        ? sv.disagreement.personnummer
        : issues.some((i) => i.path[0] === 'managementLevel')
          ? sv.disagreement.levelInvalid
          : sv.disagreement.required;
      return disagreementFormCard(formMeeting(meeting), formValues(raw), error);
    }
    const now = deps.clock();
    const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId, party: recordingParty };
    const reference = await deps.store.disagreements.nextReference(municipality, now.getFullYear());
    const threadReference = turn.reference;
    const firstStep = parsed.data.managementLevel && parsed.data.parties.includes(recordingParty);
    const created: Disagreement = {
      municipality,
      id,
      meetingId: meeting.id,
      caseReference: meeting.intake.caseReference,
      reference,
      parties: parsed.data.parties,
      question: parsed.data.question,
      level: 'management',
      status: 'open',
      createdAt: now.toISOString(),
      createdBy: by,
      escalations: [],
      steps: firstStep ? [{ party: recordingParty, level: parsed.data.managementLevel, at: now.toISOString(), by: { id: by.id, aadObjectId: by.aadObjectId } }] : [],
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

  const delivered = await deliver(deps, meeting, stored);
  stored = delivered.stored;
  deps.log.info({ municipality, level: stored.level, forum: delivered.forum }, 'disagreement recorded');
  const note = `${sv.disagreement.registered(stored.reference)} ${sv.disagreement.howItGoes} ${delivered.forum ? sv.disagreement.sentToForum : sv.disagreement.noForum(municipality)}`;
  return cardOf(stored, 'meeting', '', note);
}

/**
 * The disagreement named in card data, acted on only by one of its parties from that party's own
 * thread of the meeting: the forum is informed, never the one who escalates or decides.
 */
async function inPartyThread(turn: Turn, deps: BotDeps, raw: Record<string, unknown>): Promise<{ disagreement: Disagreement; party: SummonableParty; post: DisagreementPost } | string> {
  const municipality = MUNICIPALITIES.find((m) => m === raw.municipality) as Municipality | undefined;
  const found = municipality && typeof raw.id === 'string' ? await deps.store.disagreements.get(municipality, raw.id) : undefined;
  if (!found) return sv.disagreement.unknown;
  const disagreement = found.value;
  const here = turn.place.conversationId;
  if (disagreement.posts.forum?.threadId === here) return sv.disagreement.forumInformedOnly;
  const post = DISAGREEMENT_POSTS.find((key) => key !== 'forum' && disagreement.posts[key]?.threadId === here);
  if (!post) return sv.disagreement.onlyParties;
  const where = await meetingOfCardInThread(turn, deps, disagreement.meetingId);
  if (typeof where === 'string') return where;
  const party = partyOfThread(where);
  if (!disagreement.parties.includes(party)) return sv.disagreement.onlyParties;
  return { disagreement, party, post };
}

/** The clicked copy answers the invoke; every other copy (the forum's too) is updated in place. */
async function updated(deps: BotDeps, disagreement: Disagreement, clicked: DisagreementPost): Promise<AdaptiveCardJson> {
  for (const key of DISAGREEMENT_POSTS) {
    const post = disagreement.posts[key];
    if (key === clicked || !post) continue;
    const reference = { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } };
    await deps.connector.updateCard(reference, post.activityId, cardOf(disagreement, key)).catch((error: Error) => {
      deps.log.warn({ err: { name: error.name } }, 'disagreement card not updated');
    });
  }
  return cardOf(disagreement, clicked);
}

/** A change a party makes, written with its audit row; none when it changes nothing (a second click). */
function partyChange(turn: Turn, deps: BotDeps, found: Disagreement, action: string, apply: (d: Disagreement) => Disagreement | undefined) {
  return commitRecord(deps.store, { entity: 'Disagreement', partitionKey: found.municipality, rowKey: found.id }, deps.clock(), () =>
    deps.store.disagreements.change(found.municipality, found.id, (d) => {
      const next = apply(d);
      if (!next) return undefined;
      const audit = auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action, entity: 'Disagreement', key: d.id, details: { reference: next.reference, level: next.level, status: next.status } });
      return { ...next, effects: [...(d.effects ?? []), audit] };
    }),
  );
}

/** The disagreeing parties whose own management has not taken the question up yet. */
export function partiesWithoutStep(disagreement: Disagreement): SummonableParty[] {
  return disagreement.parties.filter((p) => !disagreement.steps.some((s) => s.party === p));
}

/** "Vår ledning tar upp frågan" (a party of it, in its own thread): the level of its ordinary management, in its own words. */
export async function recordManagementStep(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const where = await inPartyThread(turn, deps, raw);
  if (typeof where === 'string') return where;
  const { disagreement, party, post } = where;
  if (disagreement.status === 'resolved') return cardOf(disagreement, post, sv.disagreement.alreadyResolved);
  if (disagreement.level === 'samverkansstruktur') return cardOf(disagreement, post, sv.disagreement.alreadyTop);
  const parsed = managementLevel.safeParse(typeof raw.managementLevel === 'string' ? raw.managementLevel : '');
  if (!parsed.success) {
    const personnummer = parsed.error.issues.some((i) => i.message === 'personnummer');
    return cardOf(disagreement, post, personnummer ? sv.disagreement.personnummer : sv.disagreement.levelInvalid);
  }
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const changed = await partyChange(turn, deps, disagreement, 'disagreementManagementStep', (d) => {
    if (d.status !== 'open' || d.level !== 'management') return undefined;
    const last = d.steps.filter((s) => s.party === party).at(-1);
    if (last && last.level.toLowerCase() === parsed.data.toLowerCase()) return undefined;
    return { ...d, steps: [...d.steps, { party, level: parsed.data, at, by }] };
  });
  return updated(deps, changed!.value, post);
}

/**
 * "Lyft till Samverkansstruktur" (a party of it, in its own thread): the last level, only once
 * every disagreeing party's own management has taken the question up and it is still not solved.
 */
export async function escalateDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const where = await inPartyThread(turn, deps, record(data));
  if (typeof where === 'string') return where;
  const { disagreement, post } = where;
  if (disagreement.status === 'resolved') return cardOf(disagreement, post, sv.disagreement.alreadyResolved);
  if (disagreement.level === 'samverkansstruktur') return cardOf(disagreement, post, sv.disagreement.alreadyTop);
  const missing = partiesWithoutStep(disagreement);
  if (missing.length > 0) return cardOf(disagreement, post, sv.disagreement.managementFirst(missing.map((p) => sv.party[p]).join(', ')));
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const changed = await partyChange(turn, deps, disagreement, 'disagreementEscalated', (d) =>
    d.status === 'open' && d.level === 'management' && partiesWithoutStep(d).length === 0
      ? { ...d, level: 'samverkansstruktur', escalations: [...d.escalations, { from: 'management', to: 'samverkansstruktur', at, by }] }
      : undefined,
  );
  return updated(deps, changed!.value, post);
}

/** "Registrera lösning" (a party of it, in its own thread): how it was solved, at the level it is at; status löst. */
export async function resolveDisagreement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const where = await inPartyThread(turn, deps, raw);
  if (typeof where === 'string') return where;
  const { disagreement, party, post } = where;
  if (disagreement.status === 'resolved') return cardOf(disagreement, post, sv.disagreement.alreadyResolved);
  const parsed = z.object({ resolution: guarded(1000).pipe(z.string().min(1)) }).safeParse(raw);
  if (!parsed.success) {
    const personnummer = parsed.error.issues.some((i) => i.message === 'personnummer');
    return cardOf(disagreement, post, personnummer ? sv.disagreement.personnummer : sv.disagreement.resolutionRequired);
  }
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const changed = await partyChange(turn, deps, disagreement, 'disagreementResolved', (d) =>
    d.status === 'open' ? { ...d, status: 'resolved', resolution: { text: parsed.data.resolution, at, by, party, level: d.level } } : undefined,
  );
  return updated(deps, changed!.value, post);
}
