import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { MUNICIPALITIES } from '../domain/municipality';
import { TableRepository } from './tableRepository';

const deviationSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  id: z.string().regex(/^d[0-9a-f]{12}$/),
  meetingId: z.string().optional(),
  caseReference: z.string().max(20).optional(),
  kind: z.enum(['summonsNotAnswered', 'meetingNotInTime', 'commitmentNotDone', 'summonsNotSent']),
  /** The party that departed from the routine, when known. */
  party: z.enum(SUMMONABLE_PARTIES).optional(),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  daysLate: z.number().int().min(0),
  status: z.enum(['draft']),
  createdAt: z.string().datetime({ offset: true }),
  createdBy: z.object({ id: z.string().min(1), aadObjectId: z.string().optional() }),
});

/** A deviation report (avvikelserapport); for now the draft a deviation prompt opens, with the facts prefilled. */
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
}
