import { z } from 'zod';
import { noticeCard } from '../../cards/noticeCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { registerCard, registerReplaceCard } from '../../cards/registerCard';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { PARTIES, type Party } from '../../domain/party';
import { AlreadyExistsError, ConcurrencyError } from '../../store/errors';
import type { IntakeChannel } from '../../store/intakeChannelRepository';
import type { Stored } from '../../store/tableRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Place, Turn } from '../turn';

const registerData = z.object({ municipality: z.enum(MUNICIPALITIES), party: z.enum(PARTIES) });
const replaceData = registerData.extend({ replacesChannelId: z.string().min(1).max(512) });

type ChannelPlace = Place & { tenantId: string; teamId: string; channelId: string };

function channelPlace(turn: Turn): ChannelPlace | undefined {
  const place = turn.place;
  if (place.conversationType !== 'channel' || !place.tenantId || !place.teamId || !place.channelId) return undefined;
  return place as ChannelPlace;
}

function label(channel: Pick<IntakeChannel, 'teamName' | 'channelName'>): string {
  return [channel.teamName, channel.channelName ?? sv.channels.unnamedChannel].filter(Boolean).join(' › ');
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

async function record(turn: Turn, deps: BotDeps, place: ChannelPlace, municipality: Municipality, party: Party): Promise<IntakeChannel> {
  const names = await turn.teamNames(place.teamId, place.channelId);
  const reference = turn.reference;
  // The channel itself, not the thread the card was in: later posts start new threads there.
  reference.conversation = { ...reference.conversation, id: place.channelId };
  return {
    municipality,
    party,
    tenantId: place.tenantId,
    teamId: place.teamId,
    channelId: place.channelId,
    teamName: names.teamName ?? place.teamName,
    channelName: names.channelName ?? place.channelName,
    serviceUrl: place.serviceUrl,
    conversationReference: reference,
    registeredAt: deps.clock().toISOString(),
    registeredBy: turn.actor.id,
  };
}

async function audit(turn: Turn, deps: BotDeps, channel: IntakeChannel, replaced?: string): Promise<void> {
  await deps.store.audit.append({
    at: deps.clock().toISOString(),
    actor: turn.actor.id,
    action: replaced ? 'replaceIntakeChannel' : 'registerIntakeChannel',
    entity: 'IntakeChannel',
    key: `${channel.municipality}/${channel.party}`,
    details: replaced ? { channelId: channel.channelId, replacedChannelId: replaced } : { channelId: channel.channelId },
  });
  deps.log.info({ municipality: channel.municipality, party: channel.party, replaced: Boolean(replaced) }, 'intake channel registered');
}

function done(channel: IntakeChannel): AdaptiveCardJson {
  return noticeCard(sv.register.done(sv.party[channel.party], channel.municipality), sv.register.doneDetail, 'good');
}

/** What to answer when the pair already has a channel: nothing to do, or ask before replacing. */
function whenTaken(existing: Stored<IntakeChannel>, place: ChannelPlace): AdaptiveCardJson {
  const { municipality, party } = existing.value;
  if (existing.value.tenantId !== place.tenantId) return noticeCard(sv.register.otherTenant, '', 'attention');
  if (existing.value.channelId === place.channelId) {
    return noticeCard(sv.register.alreadyThisChannel(sv.party[party], municipality));
  }
  return registerReplaceCard({ municipality, party, replacesChannelId: existing.value.channelId, currentChannelLabel: label(existing.value) });
}

/** The registration card's "Registrera". The channel is the one the card is in, never one named in the data. */
export async function submitRegistration(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyInChannel, '', 'attention');
  const parsed = registerData.safeParse(data);
  if (!parsed.success) {
    const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    return registerCard({
      municipality: typeof values.municipality === 'string' ? values.municipality.slice(0, 40) : undefined,
      party: typeof values.party === 'string' ? values.party.slice(0, 40) : undefined,
      error: sv.register.required,
    });
  }
  const { municipality, party } = parsed.data;
  const existing = await deps.store.intakeChannels.get(municipality, party);
  if (existing) return whenTaken(existing, place);
  const channel = await record(turn, deps, place, municipality, party);
  try {
    await deps.store.intakeChannels.create(channel);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    // Someone registered the pair in the meantime: answer as if it had been taken all along.
    const winner = await deps.store.intakeChannels.get(municipality, party);
    if (winner) return whenTaken(winner, place);
    throw error;
  }
  await audit(turn, deps, channel);
  return done(channel);
}

/** "Ersätt" on the replace question: only if the pair still points at the channel the question named. */
export async function confirmReplacement(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson> {
  const place = channelPlace(turn);
  if (!place) return noticeCard(sv.register.onlyInChannel, '', 'attention');
  const parsed = replaceData.safeParse(data);
  if (!parsed.success) return noticeCard(sv.register.stale, '', 'attention');
  const { municipality, party, replacesChannelId } = parsed.data;
  const existing = await deps.store.intakeChannels.get(municipality, party);
  if (existing && existing.value.tenantId !== place.tenantId) return noticeCard(sv.register.otherTenant, '', 'attention');
  if (!existing || existing.value.channelId !== replacesChannelId) {
    if (existing?.value.channelId === place.channelId) return whenTaken(existing, place);
    return noticeCard(sv.register.stale, '', 'attention');
  }
  const channel = await record(turn, deps, place, municipality, party);
  try {
    await deps.store.intakeChannels.replace(channel, existing.etag);
  } catch (error) {
    if (error instanceof ConcurrencyError) return noticeCard(sv.register.stale, '', 'attention');
    throw error;
  }
  await audit(turn, deps, channel, replacesChannelId);
  return done(channel);
}

export async function cancelRegistration(): Promise<AdaptiveCardJson> {
  return noticeCard(sv.register.cancelled);
}
