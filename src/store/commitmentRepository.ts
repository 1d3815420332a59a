import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { effectsField } from './effects';
import { TableRepository, type Stored } from './tableRepository';

const actor = z.object({ id: z.string().min(1), aadObjectId: z.string().optional(), name: z.string().max(100).optional() });
const instant = z.string().datetime({ offset: true });

const commitmentSchema = z.object({
  meetingId: z.string().min(1),
  id: z.string().regex(/^c[0-9a-f]{16}$/),
  /** Ansvarig part */
  party: z.enum(SUMMONABLE_PARTIES),
  /** Insats */
  intervention: z.string().min(1).max(300),
  /** Omfattning */
  scope: z.string().max(300),
  /** Utförare */
  performer: z.string().max(200),
  /** Uppföljning */
  followUpDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  status: z.enum(['planned', 'started', 'done', 'withdrawn']),
  /** The answer to "Är insatsen genomförd?" on the follow-up day. */
  outcome: z.enum(['done', 'ongoing', 'notDone']).optional(),
  outcomeReason: z.string().max(300).optional(),
  createdAt: instant,
  createdBy: actor,
  updatedAt: instant,
  updatedBy: actor,
  /** What the last changes caused that is not carried out yet (audit rows, plan cards, reminders). */
  effects: effectsField,
});

/** An agreed commitment (åtagande): who is responsible for which intervention, its scope, performer and follow-up. */
export type Commitment = z.infer<typeof commitmentSchema>;
export type CommitmentStatus = Commitment['status'];

export class CommitmentRepository extends TableRepository<Commitment> {
  constructor(table: TableClient) {
    super(table, commitmentSchema, 'Commitment');
  }

  protected keysOf(value: Commitment) {
    return { partitionKey: value.meetingId, rowKey: value.id };
  }

  get(meetingId: string, id: string): Promise<Stored<Commitment> | undefined> {
    return this.find(meetingId, id);
  }

  async forMeeting(meetingId: string): Promise<Commitment[]> {
    return (await this.listPartition(meetingId)).map((r) => r.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  change(meetingId: string, id: string, apply: (current: Commitment) => Commitment | undefined): Promise<Stored<Commitment> | undefined> {
    return this.mutate(meetingId, id, (current) => (current ? apply(current) : undefined));
  }
}
