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

/** Where a disagreement goes: first the organisations' ordinary management, last Samverkansstruktur målgrupp barn och unga. */
export const ESCALATION_LEVELS = ['management', 'samverkansstruktur'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

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
  resolution: z.object({ text: freeText.min(1), at: instant, by: actor }).optional(),
  /** Where the disagreement shows: the forum's thread, and the card in the meeting's thread it was recorded from. */
  posts: z.object({ forum: post.optional(), meeting: post.optional() }).default({}),
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
