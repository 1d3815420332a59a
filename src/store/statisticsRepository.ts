import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AGE_BANDS, ANSWER_KINDS, caseInYear, DEVIATION_KINDS, type CaseStatistics, type CaseYear } from '../domain/indicators';
import { GENDERS, SUMMONABLE_PARTIES } from '../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import { AlreadyExistsError } from './errors';
import { TableRepository, type Stored } from './tableRepository';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const meetingId = z.string().regex(/^m[0-9a-f]{16}$/);
const party = z.enum(SUMMONABLE_PARTIES);
const municipality = z.enum(MUNICIPALITIES);
const year = z.number().int().min(2000).max(9999);
const workingDays = z.number().int().min(0);

// Every object is strict: a field the follow-up does not need (a free text, a name, a case
// reference, an exact age) is refused, not stored.
const meetingRecordSchema = z
  .object({
    id: meetingId,
    municipality,
    convener: z.enum(SUMMONABLE_PARTIES),
    summoned: z.array(party).min(1),
    gender: z.enum(GENDERS),
    ageBand: z.enum(AGE_BANDS),
    consentDate: isoDate,
    summonsDate: isoDate,
    meetingDate: isoDate.nullable(),
    state: z.enum(['summoning', 'fixed', 'cancelled']),
    followsUp: z.boolean(),
    answers: z.record(party, z.object({ kind: z.enum(ANSWER_KINDS), workingDays }).strict()),
    participation: z
      .object({ parties: z.array(party), youngPerson: z.boolean(), guardians: z.array(z.boolean()).max(2), viewRecorded: z.boolean() })
      .strict()
      .optional(),
  })
  .strict();

const commitmentRecordSchema = z
  .object({
    meetingId,
    party,
    followUpDate: isoDate.nullable(),
    status: z.enum(['planned', 'started', 'done', 'withdrawn']),
    outcome: z.enum(['done', 'ongoing', 'notDone']).optional(),
    doneDate: isoDate.nullable(),
  })
  .strict();

const caseDeviationRecordSchema = z
  .object({
    year,
    municipality,
    meetingId: meetingId.optional(),
    kind: z.enum(DEVIATION_KINDS),
    party: party.nullable(),
    analysisDue: isoDate.nullable(),
    analysedOn: isoDate.nullable(),
  })
  .strict();

const caseStatisticsSchema = z
  .object({
    meeting: meetingRecordSchema,
    commitments: z.array(commitmentRecordSchema),
    deviations: z.array(caseDeviationRecordSchema),
  })
  .strict();

const statisticsSchema = z
  .object({
    municipality,
    meetingId,
    /** The year of the consent date: the year whose follow-up counts the meeting and its commitments. */
    consentYear: year,
    erasedAt: z.string().datetime({ offset: true }),
    record: caseStatisticsSchema,
  })
  .strict()
  .superRefine((v, ctx) => {
    const m = v.record.meeting;
    const problem = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (m.id !== v.meetingId) problem('record.meeting.id differs from meetingId');
    if (m.municipality !== v.municipality) problem('record.meeting.municipality differs from municipality');
    if (Number(m.consentDate.slice(0, 4)) !== v.consentYear) problem('consentYear is not the year of the consent date');
    if (v.record.commitments.some((c) => c.meetingId !== v.meetingId)) problem('a commitment of another meeting');
    if (v.record.deviations.some((d) => (d.meetingId !== undefined && d.meetingId !== v.meetingId) || d.municipality !== v.municipality)) problem('a deviation of another meeting or municipality');
  });

/**
 * What one erased case left for the follow-up (one row per case): partition the municipality, row
 * the meeting id. Written by erasure before it deletes the case's details, read by the yearly report.
 */
export type CaseStatisticsRow = z.infer<typeof statisticsSchema>;

// The schema and the domain type must describe the same record.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameRecord: Same<z.infer<typeof caseStatisticsSchema>, CaseStatistics> = true;
void _sameRecord;

/**
 * The row that keeps a case's statistics, for `StatisticsRepository.put`. `erasedAt` is when the
 * erasure ran (an ISO instant).
 */
export function statisticsRowOf(record: CaseStatistics, erasedAt: string): CaseStatisticsRow {
  return {
    municipality: record.meeting.municipality,
    meetingId: record.meeting.id,
    consentYear: Number(record.meeting.consentDate.slice(0, 4)),
    erasedAt,
    record,
  };
}

/** How many municipalities' partitions are read at once for the county. */
const CONCURRENCY = 7;

export class StatisticsRepository extends TableRepository<CaseStatisticsRow> {
  constructor(table: TableClient) {
    super(table, statisticsSchema, 'Statistics');
  }

  protected keysOf(value: CaseStatisticsRow) {
    return { partitionKey: value.municipality, rowKey: value.meetingId };
  }

  protected columnsOf(value: CaseStatisticsRow) {
    return { consentYear: value.consentYear };
  }

  // `put` (inherited) stores or replaces a row: an upsert (the same row written again changes nothing,
  // but a different one replaces it). Erasure should use `keep`.

  /**
   * Stores the row unless the case already has one, and returns what is stored (the first row wins).
   * What erasure should call right before it deletes anything: a run that stopped half-way and is
   * run again then recomputes from partly deleted details, and must not replace the complete record.
   */
  async keep(row: CaseStatisticsRow): Promise<Stored<CaseStatisticsRow>> {
    try {
      return await this.create(row);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.get(row.municipality, row.meetingId);
      if (!existing) throw error;
      return existing;
    }
  }

  get(municipality: Municipality, meetingId: string): Promise<Stored<CaseStatisticsRow> | undefined> {
    return this.find(municipality, meetingId);
  }

  /** Every kept case of one municipality. */
  async forMunicipality(municipality: Municipality): Promise<CaseStatisticsRow[]> {
    return (await this.listPartition(municipality)).map((r) => r.value);
  }

  /**
   * What the kept cases add to one year (of one municipality, or the county): the meetings whose
   * consent date falls in the year with their commitments, and the deviations recorded in the year
   * (a case consented in an earlier year can have deviations in this one). Only cases that add
   * something. Reads the whole partition of each municipality, filtered here.
   */
  async forYear(year: number, municipality?: Municipality): Promise<CaseYear[]> {
    const municipalities = municipality ? [municipality] : [...MUNICIPALITIES];
    const rows: CaseStatisticsRow[] = [];
    for (let i = 0; i < municipalities.length; i += CONCURRENCY) {
      rows.push(...(await Promise.all(municipalities.slice(i, i + CONCURRENCY).map((m) => this.forMunicipality(m)))).flat());
    }
    return rows
      .map((row) => caseInYear(row.record, year))
      .filter((c) => c.meeting !== null || c.deviations.length > 0)
      .sort((a, b) => a.meetingId.localeCompare(b.meetingId));
  }
}
