import { DEVIATION_KINDS } from '../domain/indicators';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { PARTIES } from '../domain/party';
import { nextReference } from '../domain/reference';
import { conversationReferenceSchema } from './conversationReference';
import { effectsField } from './effects';
import { TableRepository, type Stored } from './tableRepository';

const post = z.object({ threadId: z.string().min(1), activityId: z.string().min(1), conversationReference: conversationReferenceSchema });
const freeText = z.string().max(1000);
const actor = z.object({ id: z.string().min(1), aadObjectId: z.string().optional() });

const deviationSchema = z.object({
  /** What the last change caused that is not carried out yet (its audit row). */
  effects: effectsField,
  municipality: z.enum(MUNICIPALITIES),
  id: z.string().regex(/^d[0-9a-f]{12}$/),
  meetingId: z.string().optional(),
  caseReference: z.string().max(20).optional(),
  kind: z.enum(DEVIATION_KINDS),
  /** The party that departed from the routine, when known. */
  party: z.enum(SUMMONABLE_PARTIES).optional(),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  daysLate: z.number().int().min(0),
  /** utkast → ny → under analys → analyserad → avslutad (by the forum). */
  status: z.enum(['draft', 'new', 'analysing', 'analysed', 'closed']),
  createdAt: z.string().datetime({ offset: true }),
  createdBy: actor,
  /** The reporter's reference number, e.g. AV-2026-0003 (unique per municipality). */
  reference: z.string().regex(/^AV-\d{4}-\d{4}$/).optional(),
  whatHappened: freeText.optional(),
  consequence: freeText.optional(),
  suggestedAction: freeText.optional(),
  reportedAt: z.string().datetime({ offset: true }).optional(),
  /** Who reported, and for which party (from their registered channel, never from the form). */
  reportedBy: actor.extend({ name: z.string().max(100).optional(), party: z.enum(PARTIES).optional() }).optional(),
  analysisDue: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  analysis: z.object({ cause: freeText, measures: freeText, at: z.string().datetime({ offset: true }), by: actor }).optional(),
  closed: z.object({ at: z.string().datetime({ offset: true }), by: actor }).optional(),
  /** When the deviating party was reminded that the analysis is due (once). */
  analysisRemindedAt: z.string().datetime({ offset: true }).optional(),
  /**
   * The forum area the report belongs to (the case's, else the reporter's channel's), decided when
   * it was reported; absent: the municipality's forum. See chooseForum (src/domain/county.ts).
   */
  forumArea: z.string().max(40).optional(),
  /**
   * "Rapportera till Samverkansstruktur": each time the party that noted the deviation reported on
   * it to Samverkansstruktur målgrupp barn och unga (2025: "kontinuerligt"), with the decisions taken.
   */
  countyReports: z
    .array(z.object({ at: z.string().datetime({ offset: true }), by: actor.extend({ party: z.enum(PARTIES).optional() }), status: z.enum(['analysed', 'closed']), decisions: freeText.optional() }))
    .optional(),
  /**
   * Where the report was posted: the forum's channel, the deviating party's channel, the länsdel's
   * samverkansgrupp, and the reporter's own copy (the form it was sent from).
   */
  posts: z.object({ forum: post.optional(), party: post.optional(), lansdel: post.optional(), reporter: post.optional() }).default({}),
});

/** The copies of a report: each side sees its own actions (the länsdel's copy has none). */
export const DEVIATION_SIDES = ['forum', 'party', 'lansdel', 'reporter'] as const;
export type DeviationSide = (typeof DEVIATION_SIDES)[number];

/** A deviation report (avvikelserapport), from the draft a deviation prompt opens to the forum's closing. */
export type Deviation = z.infer<typeof deviationSchema>;

export class DeviationRepository extends TableRepository<Deviation> {
  constructor(table: TableClient) {
    super(table, deviationSchema, 'Deviation');
  }

  protected keysOf(value: Deviation) {
    return { partitionKey: value.municipality, rowKey: value.id };
  }

  async forMunicipality(municipality: Deviation['municipality']): Promise<Deviation[]> {
    return (await this.listPartition(municipality)).map((r) => r.value);
  }

  get(municipality: Deviation['municipality'], id: string): Promise<Stored<Deviation> | undefined> {
    return this.find(municipality, id);
  }

  change(municipality: Deviation['municipality'], id: string, apply: (current: Deviation) => Deviation | undefined): Promise<Stored<Deviation> | undefined> {
    return this.mutate(municipality, id, (current) => (current ? apply(current) : undefined));
  }

  /** The next reference number of the year: AV-<year>-<nnnn>. */
  async nextReference(municipality: Deviation['municipality'], year: number): Promise<string> {
    return nextReference(`AV-${year}-`, (await this.forMunicipality(municipality)).map((d) => d.reference ?? ''));
  }
}
