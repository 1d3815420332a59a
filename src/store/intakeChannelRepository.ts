import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import { PARTIES, type Party } from '../domain/party';
import { conversationReferenceSchema } from './conversationReference';
import { TableRepository, type Stored } from './tableRepository';

const intakeChannelSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  party: z.enum(PARTIES),
  tenantId: z.string().min(1),
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  /** Names of the organisation's team and channel, shown in the directory. */
  teamName: z.string().max(256).optional(),
  channelName: z.string().max(256).optional(),
  serviceUrl: z.string().url(),
  conversationReference: conversationReferenceSchema,
  registeredAt: z.string().datetime({ offset: true }),
  /** The Teams user id of who registered it (a professional, never a young person). */
  registeredBy: z.string().min(1),
});

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
