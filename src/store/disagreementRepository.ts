import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { conversationReferenceSchema } from './conversationReference';
import { nextReference } from '../domain/reference';
import { effectsField } from './effects';
import { TableRepository, type Stored } from './tableRepository';

const post = z.object({ threadId: z.string().min(1), activityId: z.string().min(1), conversationReference: conversationReferenceSchema });
const freeText = z.string().max(1000);
const instant = z.string().datetime({ offset: true });
const actor = z.object({ id: z.string().min(1), aadObjectId: z.string().optional() });

/**
 * Where a disagreement is handled (2025, "Oenighet mellan parter"): in the parties' own ordinary
 * management structures ("de berörda myndigheternas ordinarie ledningsstrukturer"), and only what
 * cannot be solved there, last, in Samverkansstruktur målgrupp barn och unga.
 */
export const ESCALATION_LEVELS = ['management', 'samverkansstruktur'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/** The threads a disagreement's card shows in besides the forum's: the one it was recorded in, and each other disagreeing party's. */
export const DISAGREEMENT_POSTS = ['forum', 'meeting', ...SUMMONABLE_PARTIES] as const;
export type DisagreementPost = (typeof DISAGREEMENT_POSTS)[number];

const disagreementSchema = z.object({
  /** What the last change caused that is not carried out yet (its audit row). */
  effects: effectsField,
  municipality: z.enum(MUNICIPALITIES),
  id: z.string().regex(/^o[0-9a-f]{12}$/),
  meetingId: z.string().min(1),
  caseReference: z.string().min(1).max(20),
  /** The reference number shown on the cards, e.g. OE-2026-0002 (unique per municipality). */
  reference: z.string().regex(/^OE-\d{4}-\d{4}$/),
  parties: z.array(z.enum(SUMMONABLE_PARTIES)).min(2),
  /** What the parties disagree about: responsibility or cost. */
  question: freeText.min(1),
  level: z.enum(ESCALATION_LEVELS),
  status: z.enum(['open', 'resolved']),
  createdAt: instant,
  /** Who recorded it, and for which party of the meeting (the thread's, never the form's). */
  createdBy: actor.extend({ party: z.enum(SUMMONABLE_PARTIES).optional() }),
  escalations: z.array(z.object({ from: z.enum(ESCALATION_LEVELS), to: z.enum(ESCALATION_LEVELS), at: instant, by: actor })).default([]),
  /**
   * The steps in the parties' own management: each party says which level of its ordinary
   * management has taken the question up (its own words, e.g. "enhetschef", "förvaltningschef").
   * Stored disagreements from before have none.
   */
  steps: z.array(z.object({ party: z.enum(SUMMONABLE_PARTIES), level: z.string().min(1).max(40), at: instant, by: actor })).default([]),
  /** How it was solved, by which party of it, and at which level (absent on old records: the forum's). */
  resolution: z.object({ text: freeText.min(1), at: instant, by: actor, party: z.enum(SUMMONABLE_PARTIES).optional(), level: z.enum(ESCALATION_LEVELS).optional() }).optional(),
  /**
   * Where the disagreement shows: the forum's thread (informed), the card in the meeting's thread
   * it was recorded from, and a copy in each other disagreeing party's own thread of the meeting.
   */
  posts: z.object({ forum: post.optional(), meeting: post.optional(), ...Object.fromEntries(SUMMONABLE_PARTIES.map((p) => [p, post.optional()])) } as Record<DisagreementPost, z.ZodOptional<typeof post>>).default({}),
});

/** A disagreement (oenighet) about responsibility or cost, recorded against a meeting. */
export type Disagreement = z.infer<typeof disagreementSchema>;

export class DisagreementRepository extends TableRepository<Disagreement> {
  constructor(table: TableClient) {
    super(table, disagreementSchema, 'Disagreement');
  }

  protected keysOf(value: Disagreement) {
    return { partitionKey: value.municipality, rowKey: value.id };
  }

  async forMunicipality(municipality: Disagreement['municipality']): Promise<Disagreement[]> {
    return (await this.listPartition(municipality)).map((r) => r.value);
  }

  get(municipality: Disagreement['municipality'], id: string): Promise<Stored<Disagreement> | undefined> {
    return this.find(municipality, id);
  }

  change(municipality: Disagreement['municipality'], id: string, apply: (current: Disagreement) => Disagreement | undefined): Promise<Stored<Disagreement> | undefined> {
    return this.mutate(municipality, id, (current) => (current ? apply(current) : undefined));
  }

  /** The next reference number of the year: OE-<year>-<nnnn>. */
  async nextReference(municipality: Disagreement['municipality'], year: number): Promise<string> {
    return nextReference(`OE-${year}-`, (await this.forMunicipality(municipality)).map((d) => d.reference));
  }
}
