import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AlreadyExistsError } from './errors';
import { TableRepository } from './tableRepository';

export const auditEntrySchema = z.object({
  at: z.string().datetime({ offset: true }),
  /** The Teams user id of who acted, or "system". */
  actor: z.string().min(1),
  action: z.string().min(1),
  /** What was changed, by entity name and key; never free text. */
  entity: z.string().min(1),
  key: z.string().min(1),
  details: z.record(z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
  id: z.string().min(1),
});

/** One line of the append-only audit trail (who, what, when). */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Append-only: entries are created, never replaced. Partitioned by month for retention and reading. */
export class AuditRepository extends TableRepository<AuditEntry> {
  constructor(table: TableClient) {
    super(table, auditEntrySchema, 'AuditEntry');
  }

  protected keysOf(value: AuditEntry) {
    return { partitionKey: value.at.slice(0, 7), rowKey: `${value.at}_${value.id}` };
  }

  async append(entry: Omit<AuditEntry, 'id' | 'details'> & { details?: AuditEntry['details'] }): Promise<AuditEntry> {
    const full: AuditEntry = { ...entry, details: entry.details ?? {}, id: randomBytes(6).toString('hex') };
    await this.create(full);
    return full;
  }

  /** Appends the row of an effect once: its id makes the row key, so a second try finds it written. */
  async appendOnce(entry: AuditEntry): Promise<void> {
    try {
      await this.create(entry);
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }

  async listMonth(month: string): Promise<AuditEntry[]> {
    return (await this.listPartition(month)).map((r) => r.value);
  }
}
