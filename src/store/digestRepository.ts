import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { MUNICIPALITIES } from '../domain/municipality';
import { TableRepository } from './tableRepository';

const digestSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  /** `yyyy-MM` */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  status: z.enum(['sending', 'sent']),
  claimedUntil: z.string().datetime({ offset: true }).optional(),
  sentAt: z.string().datetime({ offset: true }).optional(),
});

/** The monthly digest of one municipality's forum: claimed by one pass, then marked sent, so it goes out once. */
export type Digest = z.infer<typeof digestSchema>;

export class DigestRepository extends TableRepository<Digest> {
  constructor(table: TableClient) {
    super(table, digestSchema, 'Digest');
  }

  protected keysOf(value: Digest) {
    return { partitionKey: value.municipality, rowKey: value.month };
  }
}
