import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { TableRepository } from './tableRepository';

export const threadSchema = z.object({
  conversationId: z.string().min(1),
  meetingId: z.string().min(1),
  /** Whose window onto the meeting the thread is: the convener's, or a summoned party's. */
  role: z.union([z.literal('convener'), z.enum(SUMMONABLE_PARTIES)]),
});

/** Which meeting a thread (or the convener's chat) belongs to, so a message there finds its meeting. */
export type MeetingThread = z.infer<typeof threadSchema>;

export class ThreadRepository extends TableRepository<MeetingThread> {
  constructor(table: TableClient) {
    super(table, threadSchema, 'MeetingThread');
  }

  protected keysOf(value: MeetingThread) {
    return { partitionKey: value.conversationId, rowKey: value.meetingId };
  }

  async link(thread: MeetingThread): Promise<void> {
    await this.put(thread);
  }

  async meetingsIn(conversationId: string): Promise<MeetingThread[]> {
    return (await this.listPartition(conversationId)).map((r) => r.value);
  }
}
