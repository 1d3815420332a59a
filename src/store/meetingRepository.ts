import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { CONSENT_GIVERS, GENDERS, SUMMONABLE_PARTIES } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { effectsField } from './effects';
import type { IntakeChannel } from './intakeChannelRepository';
import { conversationReferenceSchema, type StoredConversationReference } from './conversationReference';
import { TableRepository, type Stored } from './tableRepository';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
const instant = z.string().datetime({ offset: true });
const party = z.enum(SUMMONABLE_PARTIES);
const actor = z.object({ id: z.string().min(1), aadObjectId: z.string().optional(), name: z.string().max(100).optional() });
const freeText = z.string().max(500);
/** A professional's role or name as the parties know them (samordnare, planansvarig). */
const professionalName = z.string().max(100);

const intakeSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  convener: z.enum(SUMMONABLE_PARTIES),
  summoned: z.array(party).min(1),
  caseReference: z.string().min(1).max(20),
  age: z.number().int().min(0).max(20),
  gender: z.enum(GENDERS),
  purpose: freeText,
  urgent: z.boolean(),
  consent: z.object({ date: isoDate, from: z.array(z.enum(CONSENT_GIVERS)), parties: z.array(party) }),
  proposedTimes: z.array(localDateTime).min(1).max(3),
  place: freeText,
  placedOutsideHome: z.boolean(),
});

const answerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('attend'), participant: freeText, times: z.array(localDateTime).min(1).max(3), by: actor, at: instant }),
  z.object({ kind: z.literal('propose'), time: localDateTime, comment: freeText, by: actor, at: instant }),
  z.object({ kind: z.literal('decline'), reason: freeText, by: actor, at: instant }),
]);

/** Answers stored before a party could choose several times carry the one it chose as `time`. */
function withTimes(answers: unknown): unknown {
  if (!answers || typeof answers !== 'object') return answers;
  return Object.fromEntries(
    Object.entries(answers).map(([party, a]) => [party, a && typeof a === 'object' && a.kind === 'attend' && 'time' in a && !('times' in a) ? { ...a, times: [a.time] } : a]),
  );
}

/** Where a party's summons went: its intake channel at the time, and the thread the card started. */
const summonsSchema = z.object({
  tenantId: z.string().min(1),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.string().url(),
  /** The intake channel's address; the thread's is the same with the thread as conversation. */
  conversationReference: conversationReferenceSchema,
  threadId: z.string().optional(),
  activityId: z.string().optional(),
  sentAt: instant.optional(),
  /** Set when Teams refused the post for good (the bot was removed from the team). */
  failed: z.string().optional(),
  /** The convener has been told that this party cannot be reached (once). */
  convenerTold: z.boolean().optional(),
});

/** Something the bot has decided to post or update, kept until it is done (the outbox). */
/** Why the convener closes a coordination. */
export const CLOSING_REASONS = ['insatserGenomforda', 'ingenFortsattSamordning', 'flyttat', 'annat'] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];
/** Why a case's details are erased. */
export const ERASURE_REASONS = ['consentWithdrawn', 'retention', 'request'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

const pendingSendSchema = z.object({
  key: z.string().min(1),
  kind: z.enum(['summons', 'refreshSummons', 'refreshStatus', 'notice', 'plan', 'failureNotice', 'erase', 'withdrawParty']),
  /** For a plan card: the convener's thread or a party's. */
  thread: z.union([z.literal('convener'), party]).optional(),
  party: party.optional(),
  notice: z.enum(['fixed', 'cancelled', 'resummoned']).optional(),
  attempts: z.number().int().min(0),
  /** Claimed by a process until then, or (after a failure) not to be tried again before then. */
  claimedUntil: instant.optional(),
  lastError: z.string().max(200).optional(),
  /** When this send first failed: given up on after SEND_GIVE_UP_HOURS. */
  firstFailedAt: instant.optional(),
});

const meetingSchema = z.object({
  id: z.string().regex(/^m[0-9a-f]{16}$/),
  state: z.enum(['summoning', 'fixed', 'cancelled']),
  intake: intakeSchema,
  answers: z.preprocess(withTimes, z.record(party, answerSchema)),
  timeAnswers: z.record(party, z.object({ time: localDateTime, fits: z.boolean(), by: actor, at: instant })).optional(),
  fixedTime: localDateTime.optional(),
  createdAt: instant,
  /** The professional who convened, with their organisation (named on the summons). */
  createdBy: actor.extend({ organisation: z.string().max(100).optional() }),
  deadlines: z.object({ summonsDue: isoDate, meetingDue: isoDate, replyBy: isoDate }),
  /** The convener's window: the thread (or personal chat) whose intake card became the status card. */
  convener: z.object({
    /** The tenant of the convener's thread or chat: actions there must come from it. */
    tenantId: z.string().min(1).optional(),
    conversationId: z.string().min(1),
    statusActivityId: z.string().min(1),
    conversationReference: conversationReferenceSchema,
  }),
  summons: z.record(party, summonsSchema),
  cancellation: z.object({ reason: freeText, at: instant, by: actor }).optional(),
  fixation: z.object({ at: instant, by: actor }).optional(),
  pending: z.array(pendingSendSchema),
  /** The plan (sammanställning) beyond the commitments: coordinator and the follow-up meeting. */
  plan: z
    .object({
      coordinator: party.optional(),
      followUpDate: isoDate.optional(),
      followUpConvener: party.optional(),
      /** The parties that stated they have no intervention of their own (the SIP rule of 2013). */
      nothingFurther: z.array(party).optional(),
      /** The samordnare as the parties know them (role or name of the professional), beside the party. */
      coordinatorName: professionalName.optional(),
      /** The planansvarig (2013): required when the samordnare is outside social services and health care. */
      planOwner: party.optional(),
      planOwnerName: professionalName.optional(),
      /** Whether the plan is a samordnad individuell plan (SIP). */
      sip: z.boolean().optional(),
      /** A placement outside the home: the health examination and, when acute, the cost sharing. */
      placement: z
        .object({
          decidedOn: isoDate.optional(),
          acute: z.boolean(),
          healthExaminationBy: isoDate.optional(),
          healthExaminationDoneOn: isoDate.optional(),
          costSharingSettledOn: isoDate.optional(),
        })
        .optional(),
    })
    .default({}),
  /** "Mötet hölls": who took part, and the young person's and guardians' part (yes/no only). */
  held: z
    .object({
      parties: z.array(party),
      youngPerson: z.boolean(),
      guardians: z.array(z.boolean()).max(2),
      viewRecorded: z.boolean(),
      at: instant,
      by: actor,
    })
    .optional(),
  /** The meeting's scheduled reminders (`<due date>|<row key>`), so they can be replaced or dropped. */
  reminderRefs: z.array(z.string()).default([]),
  /** The meeting this one follows up (uppföljande möte), if any. */
  followsUp: z.string().optional(),
  /** The plan card's activity id in each thread where it has been posted. */
  planCards: z.record(z.union([z.literal('convener'), party]), z.string()).default({}),
  /** What the last changes caused that is not carried out yet (audit rows, links, reminders). */
  effects: effectsField,
  /** The convener closed the coordination ("Avsluta samordningen"): retention counts from here. */
  closure: z.object({ reason: z.enum(CLOSING_REASONS), at: instant, by: actor }).optional(),
  /** Whether commitments typed in the meeting's threads without @Norrbus get a confirmation card (on unless turned off). */
  listening: z.boolean().optional(),
  /** The case's details are to be erased (withdrawn consent, retention, a data subject's request). */
  erasure: z.object({ reason: z.enum(ERASURE_REASONS), requestedAt: instant, by: z.string().min(1) }).optional(),
});


/** A Norrbusmöte: the intake, each party's summons and answer, and what is still to be sent. */
export type Meeting = z.infer<typeof meetingSchema>;
export type PendingSend = z.infer<typeof pendingSendSchema>;
export type SummonsDelivery = z.infer<typeof summonsSchema>;

/** Where a summons to a party goes: its registered intake channel, as it is now. */
export function summonsDeliveryTo(channel: IntakeChannel): SummonsDelivery {
  const { tenantId, teamId, channelId, serviceUrl, conversationReference } = channel;
  return { tenantId, teamId, channelId, serviceUrl, conversationReference };
}

/** A new entry for the meeting's outbox. */
export function pendingSend(kind: PendingSend['kind'], extra: Pick<PendingSend, 'party' | 'notice' | 'thread'> = {}): PendingSend {
  return { key: `${kind}-${extra.party ?? extra.thread ?? 'convener'}-${randomBytes(4).toString('hex')}`, kind, attempts: 0, ...extra };
}

/** The address of the convener's thread or a party's summons thread (undefined until that summons is posted). */
export function threadReferenceOf(meeting: Meeting, thread: 'convener' | (typeof SUMMONABLE_PARTIES)[number]): StoredConversationReference | undefined {
  if (thread === 'convener') {
    const { conversationReference, conversationId } = meeting.convener;
    return { ...conversationReference, conversation: { ...conversationReference.conversation, id: conversationId } };
  }
  const delivery = meeting.summons[thread];
  if (!delivery?.threadId) return undefined;
  return { ...delivery.conversationReference, conversation: { ...delivery.conversationReference.conversation, id: delivery.threadId } };
}

/** Adds a refresh of the convener's status card unless one is already waiting. */
export function withStatusRefresh(meeting: Meeting): Meeting {
  if (meeting.pending.some((p) => p.kind === 'refreshStatus' && !p.claimedUntil)) return meeting;
  return { ...meeting, pending: [...meeting.pending, pendingSend('refreshStatus')] };
}

/** Adds a plan card refresh for every thread of the meeting (posted there the first time) unless one is waiting. */
export function withPlanRefresh(meeting: Meeting): Meeting {
  const threads: ('convener' | (typeof SUMMONABLE_PARTIES)[number])[] = ['convener', ...meeting.intake.summoned.filter((p) => meeting.summons[p]?.threadId)];
  const waiting = (thread: string) => meeting.pending.some((p) => p.kind === 'plan' && p.thread === thread && !p.claimedUntil);
  return { ...meeting, pending: [...meeting.pending, ...threads.filter((t) => !waiting(t)).map((thread) => pendingSend('plan', { thread }))] };
}

export class MeetingRepository extends TableRepository<Meeting> {
  constructor(table: TableClient) {
    super(table, meetingSchema, 'Meeting');
  }

  protected keysOf(value: Meeting) {
    return { partitionKey: value.id, rowKey: 'meeting' };
  }

  protected columnsOf(value: Meeting) {
    return { municipality: value.intake.municipality, state: value.state, caseReference: value.intake.caseReference };
  }

  get(id: string): Promise<Stored<Meeting> | undefined> {
    return this.find(id, 'meeting');
  }

  /**
   * Every meeting, or those of one municipality (a server-side filter on its column): a full read,
   * for the yearly follow-up only.
   */
  async list(municipality?: Meeting['intake']['municipality']): Promise<Meeting[]> {
    const rows = await this.query(municipality ? odata`municipality eq ${municipality}` : odata`RowKey eq ${'meeting'}`);
    return rows.map((r) => r.value);
  }

  change(id: string, apply: (current: Meeting) => Meeting | undefined, known?: Stored<Meeting>): Promise<Stored<Meeting> | undefined> {
    return this.mutate(id, 'meeting', (current) => (current ? apply(current) : undefined), known);
  }
}
