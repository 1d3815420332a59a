import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { AREA_NAME, chooseForum, foldName, LANSDEL_ID } from '../domain/county';
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
  /** For a länsdel's channel: the municipality it was registered from (one of the länsdel's). */
  municipality: z.enum(MUNICIPALITIES),
  party: z.enum(PARTIES),
  /**
   * The forum area (område). On a Forum barn och unga registration: the area it is the forum of,
   * when the municipality has several (absent: the municipality's forum). On any other party's:
   * the forum area its cases belong to (absent: the municipality's forum). See chooseForum.
   */
  forumArea: z.string().trim().regex(AREA_NAME).optional(),
  /** On a `lansdel` registration: the länsdel (its id in the county configuration). */
  lansdel: z.string().regex(LANSDEL_ID).optional(),
  registeredAt: z.string().datetime({ offset: true }),
  /** The Teams user id of who registered it (a professional, never a young person). */
  registeredBy: z.string().min(1),
  /** Who approved it replacing the channel before, when it did. */
  approvedBy: z.string().min(1).optional(),
  replacementRequest: replacementRequestSchema.optional(),
}).refine((c) => (c.party === 'lansdel') === (c.lansdel !== undefined), { message: 'a länsdel registration names its länsdel, and only it' });

export type ChannelAddress = z.infer<typeof channelSchema>;

/** Where a registration sits in the directory: a party in a municipality, a forum area, or a länsdel. */
export interface DirectorySlot {
  municipality: Municipality;
  party: Party;
  /** Only for `forum`: the area of one of several forums. */
  forumArea?: string;
  /** Only for `lansdel`. */
  lansdel?: string;
}

/** The partition of the länsdelar's channels (never a municipality's name). */
export const LANSDEL_PARTITION = 'Länsdelar';

/**
 * The keys of a slot: a party in a municipality as before (`Luleå`/`skola`, `Luleå`/`forum`), a
 * forum of an area beside it (`Luleå`/`forum:ranea`), a länsdel in a partition of its own.
 */
export function slotKeys(slot: DirectorySlot): { partitionKey: string; rowKey: string } {
  if (slot.party === 'lansdel') return { partitionKey: LANSDEL_PARTITION, rowKey: slot.lansdel ?? '' };
  if (slot.party === 'forum' && slot.forumArea) return { partitionKey: slot.municipality, rowKey: `forum:${foldName(slot.forumArea)}` };
  return { partitionKey: slot.municipality, rowKey: slot.party };
}

/** The slot of a registration (a party's forum area is not part of it). */
export function slotOf(channel: IntakeChannel): DirectorySlot {
  return { municipality: channel.municipality, party: channel.party, forumArea: channel.party === 'forum' ? channel.forumArea : undefined, lansdel: channel.party === 'lansdel' ? channel.lansdel : undefined };
}

/** How the audit trail and logs name a slot: `Luleå/skola`, `Luleå/forum/Råneå`, `länsdel/sodra`. */
export function slotLabel(slot: DirectorySlot): string {
  if (slot.party === 'lansdel') return `länsdel/${slot.lansdel ?? ''}`;
  return [slot.municipality, slot.party, slot.party === 'forum' ? slot.forumArea : undefined].filter(Boolean).join('/');
}
export type ReplacementRequest = z.infer<typeof replacementRequestSchema>;

/** The channel directory: a party's one way in ("en väg in") in one municipality. */
export type IntakeChannel = z.infer<typeof intakeChannelSchema>;

export class IntakeChannelRepository extends TableRepository<IntakeChannel> {
  constructor(table: TableClient) {
    super(table, intakeChannelSchema, 'IntakeChannel');
  }

  protected keysOf(value: IntakeChannel) {
    return slotKeys(slotOf(value));
  }

  protected columnsOf(value: IntakeChannel) {
    return { channelId: value.channelId, tenantId: value.tenantId };
  }

  get(municipality: Municipality, party: Party): Promise<Stored<IntakeChannel> | undefined> {
    return this.find(municipality, party);
  }

  getSlot(slot: DirectorySlot): Promise<Stored<IntakeChannel> | undefined> {
    const { partitionKey, rowKey } = slotKeys(slot);
    return this.find(partitionKey, rowKey);
  }

  mutateSlot(slot: DirectorySlot, change: (current: IntakeChannel | undefined) => IntakeChannel | undefined): Promise<Stored<IntakeChannel> | undefined> {
    const { partitionKey, rowKey } = slotKeys(slot);
    return this.mutate(partitionKey, rowKey, change);
  }

  /** A municipality's registrations: every party, and every forum (the one without area first). */
  async listMunicipality(municipality: Municipality): Promise<IntakeChannel[]> {
    const rows = await this.listPartition(municipality);
    return rows
      .map((r) => r.value)
      .sort((a, b) => PARTIES.indexOf(a.party) - PARTIES.indexOf(b.party) || foldName(a.forumArea ?? '').localeCompare(foldName(b.forumArea ?? ''), 'sv'));
  }

  /** The registered channels of the länsdelar's collaboration groups. */
  async listLansdelar(): Promise<IntakeChannel[]> {
    return (await this.listPartition(LANSDEL_PARTITION)).map((r) => r.value);
  }

  getLansdel(lansdel: string): Promise<Stored<IntakeChannel> | undefined> {
    return this.find(LANSDEL_PARTITION, lansdel);
  }

  /**
   * The Forum barn och unga a case or report in the municipality goes to: the forum of `area` if
   * registered, else the municipality's forum (see chooseForum in src/domain/county.ts).
   */
  async forumFor(municipality: Municipality, area?: string): Promise<IntakeChannel | undefined> {
    return chooseForum(await this.listMunicipality(municipality), area);
  }

  /** The forum area of a case: the one named on its convening party's registration in the municipality. */
  async caseForumArea(municipality: Municipality, convener: Party): Promise<string | undefined> {
    return (await this.get(municipality, convener))?.value.forumArea;
  }

  /** The registrations of one channel (normally one; a channel may serve more than one pair). */
  async findByChannel(channelId: string): Promise<IntakeChannel[]> {
    const rows = await this.query(odata`channelId eq ${channelId}`);
    return rows.map((r) => r.value);
  }
}
