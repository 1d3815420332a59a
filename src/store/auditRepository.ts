import { randomBytes } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
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

  /**
   * Empties the details of the rows about these keys (a case, its deviations) between two instants:
   * what was done, when and by whom stays; what it was about goes with the case.
   */
  async scrub(from: Date, to: Date, keys: string[]): Promise<void> {
    const wanted = new Set(keys);
    for (const month of monthsBetween(from, to)) {
      for (const row of await this.listPartition(month)) {
        if (wanted.has(row.value.key) && Object.keys(row.value.details).length > 0) await this.put({ ...row.value, details: {} });
      }
    }
  }

  /** Erases the months before `month` (yyyy-MM): the audit trail's own retention. */
  async removeBefore(month: string): Promise<number> {
    const rows = await this.query(odata`PartitionKey lt ${month}`);
    for (const row of rows) await this.remove(row.value.at.slice(0, 7), `${row.value.at}_${row.value.id}`);
    return rows.length;
  }

  async listMonth(month: string): Promise<AuditEntry[]> {
    return (await this.listPartition(month)).map((r) => r.value);
  }
}

/** The months (yyyy-MM, UTC as the partitions are) from one instant's to another's. */
function monthsBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (cursor.getTime() <= to.getTime()) {
    out.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return out;
}
