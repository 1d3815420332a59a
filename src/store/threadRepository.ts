import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { encodeKey } from './keys';
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

  /**
   * The threads started in one channel (`<channel id>;messageid=…`, where summons are posted): one
   * range of partition keys, not a scan of the table. Links live as long as their case.
   */
  async threadsInChannel(channelId: string): Promise<MeetingThread[]> {
    // ";" is kept as it is by encodeKey, and "<" is the character after it.
    const from = `${encodeKey(channelId)};`;
    const to = `${encodeKey(channelId)}<`;
    const rows = await this.query(odata`PartitionKey ge ${from} and PartitionKey lt ${to}`);
    return rows.map((r) => r.value).filter((t) => t.conversationId.startsWith(`${channelId};`));
  }
}
