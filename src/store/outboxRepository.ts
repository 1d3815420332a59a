import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { TableRepository, type Stored } from './tableRepository';

const PARTITION = 'pending';

/** Entities other than meetings whose changes carry effects (audit rows) to carry out. */
export const EFFECT_ENTITIES = ['Deviation', 'Disagreement', 'IntakeChannel', 'Installation'] as const;
export type EffectEntity = (typeof EFFECT_ENTITIES)[number];

const outboxMarkSchema = z.object({
  /** The meeting with work left; for another entity, its key (`<entity>|<partition>|<row>`). */
  meetingId: z.string().min(1),
  markedAt: z.string().datetime({ offset: true }),
  /** Set for another entity than a meeting: which record has effects to carry out. */
  target: z.object({ entity: z.enum(EFFECT_ENTITIES), partitionKey: z.string().min(1), rowKey: z.string().min(1) }).optional(),
});

/**
 * The outbox index: one row per meeting that has sends still to make (the sends themselves are in
 * the meeting, written in the same entity as the change that caused them). A restarted bot finds
 * its unfinished work here in one partition read.
 */
export type OutboxMark = z.infer<typeof outboxMarkSchema>;

export class OutboxRepository extends TableRepository<OutboxMark> {
  /** How many marks this process has written: a turn that wrote none has nothing for the outbox. */
  marksWritten = 0;

  constructor(table: TableClient) {
    super(table, outboxMarkSchema, 'OutboxMark');
  }

  protected keysOf(value: OutboxMark) {
    return { partitionKey: PARTITION, rowKey: value.meetingId };
  }

  /** Marks (again) that the meeting has pending sends; each mark gets a new ETag. */
  async mark(meetingId: string, at: Date): Promise<void> {
    this.marksWritten++;
    await this.put({ meetingId, markedAt: at.toISOString() });
  }

  /** Marks a record other than a meeting as having effects to carry out. */
  async markEntity(target: NonNullable<OutboxMark['target']>, at: Date): Promise<Stored<OutboxMark>> {
    this.marksWritten++;
    return this.put({ meetingId: `${target.entity}|${target.partitionKey}|${target.rowKey}`, markedAt: at.toISOString(), target });
  }

  list(): Promise<Stored<OutboxMark>[]> {
    return this.listPartition(PARTITION);
  }

  /** Removes the mark unless it was renewed since it was read. */
  clear(mark: Stored<OutboxMark>): Promise<void> {
    return this.remove(PARTITION, mark.value.meetingId, mark.etag);
  }
}
