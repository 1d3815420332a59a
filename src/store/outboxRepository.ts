import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { TableRepository, type Stored } from './tableRepository';

const PARTITION = 'pending';

const outboxMarkSchema = z.object({
  meetingId: z.string().min(1),
  markedAt: z.string().datetime({ offset: true }),
});

/**
 * The outbox index: one row per meeting that has sends still to make (the sends themselves are in
 * the meeting, written in the same entity as the change that caused them). A restarted bot finds
 * its unfinished work here in one partition read.
 */
export type OutboxMark = z.infer<typeof outboxMarkSchema>;

export class OutboxRepository extends TableRepository<OutboxMark> {
  constructor(table: TableClient) {
    super(table, outboxMarkSchema, 'OutboxMark');
  }

  protected keysOf(value: OutboxMark) {
    return { partitionKey: PARTITION, rowKey: value.meetingId };
  }

  /** Marks (again) that the meeting has pending sends; each mark gets a new ETag. */
  async mark(meetingId: string, at: Date): Promise<void> {
    await this.put({ meetingId, markedAt: at.toISOString() });
  }

  list(): Promise<Stored<OutboxMark>[]> {
    return this.listPartition(PARTITION);
  }

  /** Removes the mark unless it was renewed since it was read. */
  clear(mark: Stored<OutboxMark>): Promise<void> {
    return this.remove(PARTITION, mark.value.meetingId, mark.etag);
  }
}
