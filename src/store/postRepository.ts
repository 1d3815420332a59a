import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { conversationReferenceSchema } from './conversationReference';
import { TableRepository } from './tableRepository';

export const postSchema = z.object({
  meetingId: z.string().min(1),
  activityId: z.string().min(1),
  /** The thread (or chat) it was posted in. */
  conversationReference: conversationReferenceSchema,
  kind: z.enum(['card', 'text']),
  at: z.string().datetime({ offset: true }),
});

/**
 * A message the bot posted about a case outside the cards the meeting itself keeps (notices,
 * reminders, confirmation cards, the plan as text), so that erasure can find every one of them and
 * replace it with a neutral text. No content is kept here, only where the message is.
 */
export type Post = z.infer<typeof postSchema>;

export class PostRepository extends TableRepository<Post> {
  constructor(table: TableClient) {
    super(table, postSchema, 'Post');
  }

  protected keysOf(value: Post) {
    return { partitionKey: value.meetingId, rowKey: value.activityId };
  }

  async record(post: Post): Promise<void> {
    await this.put(post);
  }

  async forMeeting(meetingId: string): Promise<Post[]> {
    return (await this.listPartition(meetingId)).map((r) => r.value);
  }
}
