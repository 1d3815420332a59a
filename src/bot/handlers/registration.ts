import { createHash } from 'node:crypto';
import { z } from 'zod';
import { noticeCard } from '../../cards/noticeCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { registerApprovalCard, registerCard, registerReplaceCard } from '../../cards/registerCard';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { mayActAs } from '../../domain/organisation';
import { PARTIES, type Party } from '../../domain/party';
import { AREA_NAME, sameArea } from '../../domain/county';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { AlreadyExistsError } from '../../store/errors';
import { slotLabel, slotKeys, type ChannelAddress, type DirectorySlot, type IntakeChannel } from '../../store/intakeChannelRepository';
import type { Stored } from '../../store/tableRepository';
import { sv } from '../../texts/sv';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import { isOwnMember, sameTenantId } from '../authority';
import { channelLabel, decideReplacement, decidedCard, nameOfSlot } from '../channelReplacement';
import type { BotDeps } from '../deps';
import type { Place, Turn } from '../turn';

/** The forum area as typed on the card: optional, short, never a personnummer. */
const forumAreaField = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || (AREA_NAME.test(v) && !containsPersonalIdentityNumber(v)), 'area');
const registerData = z.object({ municipality: z.enum(MUNICIPALITIES), party: z.enum(PARTIES), forumArea: forumAreaField });
const replaceData = registerData.extend({ replacesChannelId: z.string().min(1).max(512) });
const decisionData = registerData.extend({ requestId: z.string().regex(/^r[0-9a-f]{12}$/) });

type ChannelPlace = Place & { tenantId: string; teamId: string; channelId: string };

function channelPlace(turn: Turn): ChannelPlace | undefined {
  const place = turn.place;
  if (place.conversationType !== 'channel' || !place.tenantId || !place.teamId || !place.channelId) return undefined;
  return place as ChannelPlace;
}

/**
 * Who may change the directory from this channel for a pair: a member of the organisation (not a
 * guest), whose organisation may act as that party in that municipality. Undefined when allowed.
 */
async function refusalFor(turn: Turn, deps: BotDeps, place: ChannelPlace, slot: DirectorySlot): Promise<AdaptiveCardJson | undefined> {
  const organisation = turn.actor.organisation;
  if (!mayRegister(deps, organisation, slot)) {
    const name = slotName(deps, slot);
    return noticeCard(sv.register.organisationMayNot(organisation.name, name.party, name.where), '', 'attention');
  }
  if (!isOwnMember(await turn.senderInRoster(), place.tenantId)) return noticeCard(sv.register.guest, '', 'attention');
  return undefined;
}

/**
 * Who may register a länsdel's collaboration group: an organisation granted `lansdel` there, or one
 * that holds Forum barn och unga in one of the länsdel's municipalities (the group is made of the
 * municipalities' and the Region's management). Every other slot: the organisation's grants.
 */
function mayRegister(deps: BotDeps, organisation: Turn['actor']['organisation'], slot: DirectorySlot): boolean {
  if (slot.party !== 'lansdel') return mayActAs(organisation, slot.party, slot.municipality);
  const lansdel = deps.config.county.lansdelOf(slot.municipality);
  return lansdel.municipalities.some((m) => mayActAs(organisation, 'lansdel', m) || mayActAs(organisation, 'forum', m));
}

const slotName = (deps: Pick<BotDeps, 'config'>, slot: DirectorySlot) => nameOfSlot(deps.config.county, slot);

/** The slot the card data names: a forum's area is part of it; a länsdel is the municipality's. */
function slotFrom(deps: BotDeps, data: { municipality: Municipality; party: Party; forumArea?: string }): DirectorySlot {
  if (data.party === 'lansdel') return { municipality: data.municipality, party: 'lansdel', lansdel: deps.config.county.lansdelOf(data.municipality).id };
  return { municipality: data.municipality, party: data.party, forumArea: data.party === 'forum' ? data.forumArea : undefined };
}

/** `norrbus registrera`: in a channel, the registration card; elsewhere, where to do it. */
export async function startRegistration(turn: Turn, deps: BotDeps): Promise<void> {
  const place = channelPlace(turn);
  if (!place) {
    await turn.send(sv.register.onlyInChannel);
    return;
  }
  const [current] = await deps.store.intakeChannels.findByChannel(place.channelId);
  await turn.sendCard(registerCard({ municipality: current?.municipality, party: current?.party, forumArea: current?.forumArea }));
}

/** The channel the turn is in, as the directory keeps it. */
async function addressOf(turn: Turn, place: ChannelPlace): Promise<ChannelAddress> {
  const names = await turn.teamNames(place.teamId, place.channelId);
  // The channel itself, not the thread the card was in: later posts start new threads there.
  const reference = { ...turn.reference, conversation: { ...turn.reference.conversation, id: place.channelId } };
  return {
    tenantId: place.tenantId,
    teamId: place.teamId,
    channelId: place.channelId,
    teamName: names.teamName ?? place.teamName,
    channelName: names.channelName ?? place.channelName,
    serviceUrl: place.serviceUrl,
    conversationReference: reference,
  };
}

/** A change to the directory's entry for a pair, written with its audit row (see commitRecord). */
function directoryChange<T>(deps: BotDeps, slot: DirectorySlot, write: () => Promise<T>): Promise<T> {
  return commitRecord(deps.store, { entity: 'IntakeChannel', ...slotKeys(slot) }, deps.clock(), write);
}

function auditOf(turn: Turn, deps: BotDeps, action: string, slot: DirectorySlot, details: Record<string, string>) {
  // The slot's key only: a forum area is an organisation's word for a part of a municipality, never about a person.
  deps.log.info({ municipality: slot.municipality, party: slot.party, action }, 'intake channel directory');
  return auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action, entity: 'IntakeChannel', key: slotLabel(slot), details });
}

function done(deps: BotDeps, channel: IntakeChannel, slot: DirectorySlot): AdaptiveCardJson {
  const name = slotName(deps, slot);
  const detail = channel.party === 'lansdel' ? sv.register.doneDetailLansdel : channel.party !== 'forum' && channel.forumArea ? sv.register.doneDetailArea(channel.forumArea) : sv.register.doneDetail;
  return noticeCard(sv.register.done(name.party, name.where), detail, 'good');
}

/** What to answer when the slot already has a channel: nothing to do, a new forum area, or offer to ask for a change. */
async function whenTaken(turn: Turn, deps: BotDeps, existing: Stored<IntakeChannel>, place: ChannelPlace, slot: DirectorySlot, forumArea?: string): Promise<AdaptiveCardJson> {
  const { municipality, party } = existing.value;
  const name = slotName(deps, slot);
  if (existing.value.tenantId.toLowerCase() !== place.tenantId.toLowerCase()) return noticeCard(sv.register.otherTenant, '', 'attention');
  if (existing.value.channelId === place.channelId) {
    // A party's channel names (or changes, or drops) the forum area its cases go to.
    if (party !== 'forum' && party !== 'lansdel' && !sameArea(existing.value.forumArea ?? '', forumArea ?? '')) {
      const audit = auditOf(turn, deps, 'setForumArea', slot, { channelId: place.channelId, forumArea: forumArea ?? '' });
      const changed = await directoryChange(deps, slot, () =>
        deps.store.intakeChannels.mutateSlot(slot, (current) =>
          current && current.channelId === place.channelId ? { ...current, forumArea, effects: [...(current.effects ?? []), audit] } : undefined,
        ),
      );
      if (changed?.value.channelId === place.channelId) return done(deps, changed.value, slot);
    }
    return noticeCard(sv.register.alreadyThisChannel(name.party, name.where));
  }
  return registerReplaceCard({
    municipality,
    party,
    forumArea: slot.forumArea,
    replacesChannelId: existing.value.channelId,
    question: sv.register.replaceQuestionApproval(name.party, name.where, channelLabel(existing.value)),
  });
}

/** The registration card's "Registrera". The channel is the one the card is in, never one named in the data. */
export async function submitRegistration(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyInChannel, '', 'attention');
  const parsed = registerData.safeParse(data);
  if (!parsed.success) {
    const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const known = (value: unknown, among: readonly string[]) => (typeof value === 'string' && among.includes(value) ? value : undefined);
    const badArea = parsed.error.issues.some((i) => i.path[0] === 'forumArea');
    // A refused area is never shown again: it may be anything.
    return registerCard({ municipality: known(values.municipality, MUNICIPALITIES), party: known(values.party, PARTIES), error: badArea ? sv.register.badArea : sv.register.required });
  }
  const { municipality, party, forumArea } = parsed.data;
  const slot = slotFrom(deps, parsed.data);
  const refused = await refusalFor(turn, deps, place, slot);
  if (refused) return refused;
  const existing = await deps.store.intakeChannels.getSlot(slot);
  if (existing) return whenTaken(turn, deps, existing, place, slot, forumArea);
  const channel: IntakeChannel = {
    ...(await addressOf(turn, place)),
    municipality,
    party,
    forumArea: party === 'lansdel' ? undefined : forumArea,
    lansdel: slot.lansdel,
    registeredAt: deps.clock().toISOString(),
    registeredBy: turn.actor.id,
  };
  channel.effects = [auditOf(turn, deps, 'registerIntakeChannel', slot, { channelId: channel.channelId })];
  try {
    await directoryChange(deps, slot, () => deps.store.intakeChannels.create(channel));
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    // Someone registered the slot in the meantime: answer as if it had been taken all along.
    const winner = await deps.store.intakeChannels.getSlot(slot);
    if (winner) return whenTaken(turn, deps, winner, place, slot, forumArea);
    throw error;
  }
  return done(deps, channel, slot);
}

/**
 * "Begär byte" in the channel that wants to take over: the request is stored on the registration
 * and a card asks the registered channel to approve it. Nothing changes until it does.
 */
export async function requestReplacement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyInChannel, '', 'attention');
  const parsed = replaceData.safeParse(data);
  if (!parsed.success) return noticeCard(sv.register.stale, '', 'attention');
  const { municipality, party, replacesChannelId } = parsed.data;
  const slot = slotFrom(deps, parsed.data);
  const refused = await refusalFor(turn, deps, place, slot);
  if (refused) return refused;
  const existing = await deps.store.intakeChannels.getSlot(slot);
  if (!existing) return noticeCard(sv.register.stale, '', 'attention');
  if (existing.value.channelId === place.channelId || !sameTenantId(existing.value.tenantId, place.tenantId)) return whenTaken(turn, deps, existing, place, slot);
  if (existing.value.channelId !== replacesChannelId) return noticeCard(sv.register.stale, '', 'attention');
  const currentLabel = channelLabel(existing.value);
  const pending = existing.value.replacementRequest;
  if (pending && pending.channel.channelId !== place.channelId) return noticeCard(sv.register.requestPending(currentLabel), '', 'attention');

  const address = await addressOf(turn, place);
  const requestId = pending?.id ?? `r${createHash('sha256').update(`${place.conversationId}|${turn.cardActivityId ?? ''}|${existing.etag}`).digest('hex').slice(0, 12)}`;
  const request = pending ?? { id: requestId, channel: address, requestedAt: deps.clock().toISOString(), requestedBy: turn.actor.id, requesterReference: turn.reference };
  const audit = pending ? [] : [auditOf(turn, deps, 'requestIntakeChannelReplacement', slot, { channelId: place.channelId, replacesChannelId, requestId })];
  const stored = await directoryChange(deps, slot, () =>
    deps.store.intakeChannels.mutateSlot(slot, (current) =>
      current && current.channelId === replacesChannelId && !current.replacementRequest
        ? { ...current, replacementRequest: request, effects: [...(current.effects ?? []), ...audit] }
        : current?.replacementRequest?.id === requestId
          ? current
          : undefined,
    ),
  );
  if (stored?.value.replacementRequest?.id !== requestId) return noticeCard(sv.register.stale, '', 'attention');
  if (stored.value.replacementRequest.approval) return noticeCard(sv.register.requestSent(currentLabel), '', 'good');

  try {
    const name = slotName(deps, slot);
    const card = registerApprovalCard({ municipality, party, forumArea: slot.forumArea, requestId, question: sv.register.approvalQuestion(channelLabel(address), name.party, name.where) });
    const approval = await deps.connector.startThread(existing.value, card);
    await deps.store.intakeChannels.mutateSlot(slot, (current) =>
      current?.replacementRequest?.id === requestId ? { ...current, replacementRequest: { ...current.replacementRequest, approval } } : undefined,
    );
  } catch (error) {
    deps.log.warn({ err: { name: (error as Error).name } }, 'approval request not delivered to the registered channel');
    return noticeCard(sv.register.requestNotDelivered(currentLabel), '', 'attention');
  }
  return noticeCard(sv.register.requestSent(currentLabel), '', 'good');
}

/** "Godkänn" / "Avslå" on the approval card: only in the registered channel's thread where the card was posted. */
async function decide(turn: Turn, deps: BotDeps, data: unknown, approve: boolean): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyCurrentChannel, '', 'attention');
  const parsed = decisionData.safeParse(data);
  if (!parsed.success) return noticeCard(sv.register.requestStale, '', 'attention');
  const { requestId } = parsed.data;
  const slot = slotFrom(deps, parsed.data);
  const existing = (await deps.store.intakeChannels.getSlot(slot))?.value;
  const request = existing?.replacementRequest;
  if (!existing || !request || request.id !== requestId) return noticeCard(sv.register.requestStale, '', 'attention');
  if (request.approval?.threadId !== place.conversationId || !sameTenantId(existing.tenantId, place.tenantId)) {
    return noticeCard(sv.register.onlyCurrentChannel, '', 'attention');
  }
  const refused = await refusalFor(turn, deps, place, slot);
  if (refused) return refused;
  const name = slotName(deps, slot);
  const outcome = await decideReplacement(deps, { slot, name, requestId, approve, by: turn.actor.id });
  if (outcome.outcome === 'stale') return noticeCard(sv.register.requestStale, '', 'attention');
  return decidedCard(outcome, name);
}

export const approveReplacement = (turn: Turn, deps: BotDeps, data: unknown) => decide(turn, deps, data, true);
export const rejectReplacement = (turn: Turn, deps: BotDeps, data: unknown) => decide(turn, deps, data, false);

export async function cancelRegistration(): Promise<AdaptiveCardJson> {
  return noticeCard(sv.register.cancelled);
}
