import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import { nextReference } from '../domain/reference';
import { AlreadyExistsError } from './errors';
import { TableRepository } from './tableRepository';

const caseReferenceSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  caseReference: z.string().min(1).max(20),
  meetingId: z.string().min(1),
});

/** A case reference (ärendereferens) claimed by one meeting: unique within a municipality. */
export type CaseReferenceClaim = z.infer<typeof caseReferenceSchema>;

export class CaseReferenceRepository extends TableRepository<CaseReferenceClaim> {
  constructor(table: TableClient) {
    super(table, caseReferenceSchema, 'CaseReference');
  }

  protected keysOf(value: CaseReferenceClaim) {
    return { partitionKey: value.municipality, rowKey: value.caseReference };
  }

  /** Claims the reference for the meeting; true if it is (now or already) that meeting's. */
  async claim(claim: CaseReferenceClaim): Promise<boolean> {
    try {
      await this.create(claim);
      return true;
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
      const existing = await this.find(claim.municipality, claim.caseReference);
      return existing?.value.meetingId === claim.meetingId;
    }
  }

  /** The next free reference of the form NB-<year>-<nnnn> in the municipality. */
  async propose(municipality: Municipality, year: number): Promise<string> {
    return nextReference(`NB-${year}-`, (await this.listPartition(municipality)).map((r) => r.value.caseReference));
  }
}
