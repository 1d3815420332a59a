import { createHash } from 'node:crypto';
import { z } from 'zod';
import { noticeCard } from '../../cards/noticeCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { registerApprovalCard, registerCard, registerReplaceCard } from '../../cards/registerCard';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { mayActAs } from '../../domain/organisation';
import { PARTIES, type Party } from '../../domain/party';
import { AlreadyExistsError } from '../../store/errors';
import type { ChannelAddress, IntakeChannel } from '../../store/intakeChannelRepository';
import type { Stored } from '../../store/tableRepository';
import { sv } from '../../texts/sv';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import { isOwnMember, sameTenantId } from '../authority';
import { channelLabel, decideReplacement, decidedCard } from '../channelReplacement';
import type { BotDeps } from '../deps';
import type { Place, Turn } from '../turn';

const registerData = z.object({ municipality: z.enum(MUNICIPALITIES), party: z.enum(PARTIES) });
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
async function refusalFor(turn: Turn, place: ChannelPlace, municipality: Municipality, party: Party): Promise<AdaptiveCardJson | undefined> {
  const organisation = turn.actor.organisation;
  if (!mayActAs(organisation, party, municipality)) {
    return noticeCard(sv.register.organisationMayNot(organisation.name, sv.party[party], municipality), '', 'attention');
  }
  if (!isOwnMember(await turn.senderInRoster(), place.tenantId)) return noticeCard(sv.register.guest, '', 'attention');
  return undefined;
}

/** `norrbus registrera`: in a channel, the registration card; elsewhere, where to do it. */
export async function startRegistration(turn: Turn, deps: BotDeps): Promise<void> {
  const place = channelPlace(turn);
  if (!place) {
    await turn.send(sv.register.onlyInChannel);
    return;
  }
  const [current] = await deps.store.intakeChannels.findByChannel(place.channelId);
  await turn.sendCard(registerCard({ municipality: current?.municipality, party: current?.party }));
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
function directoryChange<T>(deps: BotDeps, municipality: Municipality, party: Party, write: () => Promise<T>): Promise<T> {
  return commitRecord(deps.store, { entity: 'IntakeChannel', partitionKey: municipality, rowKey: party }, deps.clock(), write);
}

function auditOf(turn: Turn, deps: BotDeps, action: string, municipality: Municipality, party: Party, details: Record<string, string>) {
  deps.log.info({ municipality, party, action }, 'intake channel directory');
  return auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action, entity: 'IntakeChannel', key: `${municipality}/${party}`, details });
}

function done(channel: IntakeChannel): AdaptiveCardJson {
  return noticeCard(sv.register.done(sv.party[channel.party], channel.municipality), sv.register.doneDetail, 'good');
}

/** What to answer when the pair already has a channel: nothing to do, or offer to ask for a change. */
function whenTaken(existing: Stored<IntakeChannel>, place: ChannelPlace): AdaptiveCardJson {
  const { municipality, party } = existing.value;
  if (existing.value.tenantId.toLowerCase() !== place.tenantId.toLowerCase()) return noticeCard(sv.register.otherTenant, '', 'attention');
  if (existing.value.channelId === place.channelId) {
    return noticeCard(sv.register.alreadyThisChannel(sv.party[party], municipality));
  }
  return registerReplaceCard({ municipality, party, replacesChannelId: existing.value.channelId, currentChannelLabel: channelLabel(existing.value) });
}

/** The registration card's "Registrera". The channel is the one the card is in, never one named in the data. */
export async function submitRegistration(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyInChannel, '', 'attention');
  const parsed = registerData.safeParse(data);
  if (!parsed.success) {
    const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const known = (value: unknown, among: readonly string[]) => (typeof value === 'string' && among.includes(value) ? value : undefined);
    return registerCard({ municipality: known(values.municipality, MUNICIPALITIES), party: known(values.party, PARTIES), error: sv.register.required });
  }
  const { municipality, party } = parsed.data;
  const refused = await refusalFor(turn, place, municipality, party);
  if (refused) return refused;
  const existing = await deps.store.intakeChannels.get(municipality, party);
  if (existing) return whenTaken(existing, place);
  const channel: IntakeChannel = {
    ...(await addressOf(turn, place)),
    municipality,
    party,
    registeredAt: deps.clock().toISOString(),
    registeredBy: turn.actor.id,
  };
  channel.effects = [auditOf(turn, deps, 'registerIntakeChannel', municipality, party, { channelId: channel.channelId })];
  try {
    await directoryChange(deps, municipality, party, () => deps.store.intakeChannels.create(channel));
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    // Someone registered the pair in the meantime: answer as if it had been taken all along.
    const winner = await deps.store.intakeChannels.get(municipality, party);
    if (winner) return whenTaken(winner, place);
    throw error;
  }
  return done(channel);
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
  const refused = await refusalFor(turn, place, municipality, party);
  if (refused) return refused;
  const existing = await deps.store.intakeChannels.get(municipality, party);
  if (!existing) return noticeCard(sv.register.stale, '', 'attention');
  if (existing.value.channelId === place.channelId || !sameTenantId(existing.value.tenantId, place.tenantId)) return whenTaken(existing, place);
  if (existing.value.channelId !== replacesChannelId) return noticeCard(sv.register.stale, '', 'attention');
  const currentLabel = channelLabel(existing.value);
  const pending = existing.value.replacementRequest;
  if (pending && pending.channel.channelId !== place.channelId) return noticeCard(sv.register.requestPending(currentLabel), '', 'attention');

  const address = await addressOf(turn, place);
  const requestId = pending?.id ?? `r${createHash('sha256').update(`${place.conversationId}|${turn.cardActivityId ?? ''}|${existing.etag}`).digest('hex').slice(0, 12)}`;
  const request = pending ?? { id: requestId, channel: address, requestedAt: deps.clock().toISOString(), requestedBy: turn.actor.id, requesterReference: turn.reference };
  const audit = pending ? [] : [auditOf(turn, deps, 'requestIntakeChannelReplacement', municipality, party, { channelId: place.channelId, replacesChannelId, requestId })];
  const stored = await directoryChange(deps, municipality, party, () =>
    deps.store.intakeChannels.mutate(municipality, party, (current) =>
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
    const card = registerApprovalCard({ municipality, party, requestId, requesterLabel: channelLabel(address) });
    const approval = await deps.connector.startThread(existing.value, card);
    await deps.store.intakeChannels.mutate(municipality, party, (current) =>
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
  const { municipality, party, requestId } = parsed.data;
  const existing = (await deps.store.intakeChannels.get(municipality, party))?.value;
  const request = existing?.replacementRequest;
  if (!existing || !request || request.id !== requestId) return noticeCard(sv.register.requestStale, '', 'attention');
  if (request.approval?.threadId !== place.conversationId || !sameTenantId(existing.tenantId, place.tenantId)) {
    return noticeCard(sv.register.onlyCurrentChannel, '', 'attention');
  }
  const refused = await refusalFor(turn, place, municipality, party);
  if (refused) return refused;
  const outcome = await decideReplacement(deps, { municipality, party, requestId, approve, by: turn.actor.id });
  if (outcome.outcome === 'stale') return noticeCard(sv.register.requestStale, '', 'attention');
  return decidedCard(outcome, municipality, party);
}

export const approveReplacement = (turn: Turn, deps: BotDeps, data: unknown) => decide(turn, deps, data, true);
export const rejectReplacement = (turn: Turn, deps: BotDeps, data: unknown) => decide(turn, deps, data, false);

export async function cancelRegistration(): Promise<AdaptiveCardJson> {
  return noticeCard(sv.register.cancelled);
}
