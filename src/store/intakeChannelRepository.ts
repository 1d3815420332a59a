import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import { PARTIES, type Party } from '../domain/party';
import { conversationReferenceSchema } from './conversationReference';
import { effectsField } from './effects';
import { TableRepository, type Stored } from './tableRepository';

/** Where a channel is: what it takes to post there and to name it. */
const channelSchema = z.object({
  tenantId: z.string().min(1),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  /** Names of the organisation's team and channel, shown in the directory. */
  teamName: z.string().max(256).optional(),
  channelName: z.string().max(256).optional(),
  serviceUrl: z.string().url(),
  conversationReference: conversationReferenceSchema,
});

/**
 * Another channel of the same organisation asks to take over as the way in. It waits for the
 * approval of the registered channel (a card posted there) or of an operator.
 */
const replacementRequestSchema = z.object({
  id: z.string().regex(/^r[0-9a-f]{12}$/),
  channel: channelSchema,
  requestedAt: z.string().datetime({ offset: true }),
  requestedBy: z.string().min(1),
  /** The thread in the requesting channel where the request was made: told the answer. */
  requesterReference: conversationReferenceSchema,
  /** The approval card in the registered channel, once posted. */
  approval: z.object({ threadId: z.string().min(1), activityId: z.string().min(1) }).optional(),
});

const intakeChannelSchema = channelSchema.extend({
  /** What the last change caused that is not carried out yet (its audit row). */
  effects: effectsField,
  municipality: z.enum(MUNICIPALITIES),
  party: z.enum(PARTIES),
  registeredAt: z.string().datetime({ offset: true }),
  /** The Teams user id of who registered it (a professional, never a young person). */
  registeredBy: z.string().min(1),
  /** Who approved it replacing the channel before, when it did. */
  approvedBy: z.string().min(1).optional(),
  replacementRequest: replacementRequestSchema.optional(),
});

export type ChannelAddress = z.infer<typeof channelSchema>;
export type ReplacementRequest = z.infer<typeof replacementRequestSchema>;

/** The channel directory: a party's one way in ("en väg in") in one municipality. */
export type IntakeChannel = z.infer<typeof intakeChannelSchema>;

export class IntakeChannelRepository extends TableRepository<IntakeChannel> {
  constructor(table: TableClient) {
    super(table, intakeChannelSchema, 'IntakeChannel');
  }

  protected keysOf(value: IntakeChannel) {
    return { partitionKey: value.municipality, rowKey: value.party };
  }

  protected columnsOf(value: IntakeChannel) {
    return { channelId: value.channelId, tenantId: value.tenantId };
  }

  get(municipality: Municipality, party: Party): Promise<Stored<IntakeChannel> | undefined> {
    return this.find(municipality, party);
  }

  async listMunicipality(municipality: Municipality): Promise<IntakeChannel[]> {
    const rows = await this.listPartition(municipality);
    return rows.map((r) => r.value).sort((a, b) => PARTIES.indexOf(a.party) - PARTIES.indexOf(b.party));
  }

  /** The registrations of one channel (normally one; a channel may serve more than one pair). */
  async findByChannel(channelId: string): Promise<IntakeChannel[]> {
    const rows = await this.query(odata`channelId eq ${channelId}`);
    return rows.map((r) => r.value);
  }
}
