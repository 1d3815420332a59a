import type { TableClient } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import { REMINDER_KINDS, type PlannedReminder } from '../domain/reminders';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { encodeKey } from './keys';
import { TableRepository, type Stored } from './tableRepository';

const reminderSchema = z.object({
  meetingId: z.string().min(1),
  kind: z.enum(REMINDER_KINDS),
  thread: z.union([z.literal('convener'), z.enum(SUMMONABLE_PARTIES)]),
  subject: z.string().min(1).max(100),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  attempts: z.number().int().min(0),
  /** Not to be tried before this instant (a retry after a failed send). */
  notBefore: z.string().datetime({ offset: true }).optional(),
  /** Reserved by a pass until this instant; a pass that died lets it go when it passes. */
  claimedUntil: z.string().datetime({ offset: true }).optional(),
  lastError: z.string().max(100).optional(),
});

/** A reminder waiting to be posted. Rows are deleted once posted, so a partition holds only work still to do. */
export type Reminder = z.infer<typeof reminderSchema>;

/** The row key of a reminder: the same planned reminder always gets the same key. */
export function reminderRowKey(meetingId: string, r: Pick<PlannedReminder, 'kind' | 'thread' | 'subject'>): string {
  return `${meetingId}~${r.kind}~${r.thread}~${r.subject}`;
}

/** The reference a meeting keeps to each of its reminders: `<due date>|<row key>`. */
export function reminderRef(reminder: Pick<Reminder, 'dueDate' | 'meetingId' | 'kind' | 'thread' | 'subject'>): string {
  return `${reminder.dueDate}|${reminderRowKey(reminder.meetingId, reminder)}`;
}

/**
 * Reminders partitioned by the day they fall due, so a pass reads the partitions up to today and
 * nothing else: its cost follows the due work, not the history.
 */
export class ReminderRepository extends TableRepository<Reminder> {
  constructor(table: TableClient) {
    super(table, reminderSchema, 'Reminder');
  }

  protected keysOf(value: Reminder) {
    return { partitionKey: value.dueDate, rowKey: reminderRowKey(value.meetingId, value) };
  }

  /** Every reminder due on or before the day. */
  due(today: string): Promise<Stored<Reminder>[]> {
    return this.query(odata`PartitionKey le ${encodeKey(today)}`);
  }

  async removeRef(ref: string): Promise<void> {
    const [dueDate, rowKey] = ref.split('|');
    await this.remove(dueDate, rowKey);
  }

  /** Posted: gone, unless another pass re-claimed it meanwhile (then the ETag no longer matches). */
  done(reminder: Stored<Reminder>): Promise<void> {
    return this.remove(reminder.value.dueDate, reminderRowKey(reminder.value.meetingId, reminder.value), reminder.etag);
  }
}
