import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { TableRepository } from './tableRepository';

export const userMeetingSchema = z.object({
  userId: z.string().min(1),
  meetingId: z.string().min(1),
  role: z.enum(['convener', 'answered']),
  party: z.enum(SUMMONABLE_PARTIES),
  at: z.string().datetime({ offset: true }),
});

/** Which meetings a professional convened or answered, for `norrbus mina möten`. */
export type UserMeeting = z.infer<typeof userMeetingSchema>;

export class UserMeetingRepository extends TableRepository<UserMeeting> {
  constructor(table: TableClient) {
    super(table, userMeetingSchema, 'UserMeeting');
  }

  protected keysOf(value: UserMeeting) {
    return { partitionKey: value.userId, rowKey: value.meetingId };
  }

  /** Records the link; a convener stays a convener even if they also answer. */
  async link(entry: UserMeeting): Promise<void> {
    await this.mutate(entry.userId, entry.meetingId, (current) => (current?.role === 'convener' ? undefined : entry));
  }

  async forUser(userId: string): Promise<UserMeeting[]> {
    return (await this.listPartition(userId)).map((r) => r.value);
  }
}
