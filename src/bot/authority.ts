import type { Municipality } from '../domain/municipality';
import { mayActAs } from '../domain/organisation';
import type { Party } from '../domain/party';
import type { IntakeChannel } from '../store/intakeChannelRepository';
import { sv } from '../texts/sv';
import type { BotDeps } from './deps';
import type { TeamMember, Turn } from './turn';

/** Through which registered intake channel the sender acts for a party, or why they may not. */
export type Authority = { ok: true; channel: IntakeChannel } | { ok: false; message: string };

const refuse = (message: string): Authority => ({ ok: false, message });

/** A member of the organisation itself: in the team's roster, of the team's tenant, not a guest. */
export function isOwnMember(member: TeamMember | undefined, tenantId: string): boolean {
  if (!member || member.role === 'guest' || member.role === 'anonymous') return false;
  return member.tenantId === undefined || member.tenantId.toLowerCase() === tenantId.toLowerCase();
}

/** Tenant ids compare without case. */
export function sameTenantId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * Whether the sender belongs to the organisation whose thread or chat this is (its roster, not a
 * guest): asked before anyone acts in a meeting's, a report's or the forum's thread.
 */
export async function memberHere(turn: Turn): Promise<boolean> {
  return isOwnMember(await turn.senderInRoster(), turn.place.tenantId ?? turn.actor.tenantId);
}

/** The registrations of the channel this turn is in (a channel or a thread in it), of this tenant. */
export async function registrationsHere(turn: Turn, deps: Pick<BotDeps, 'store'>): Promise<IntakeChannel[]> {
  const { conversationType, channelId, tenantId } = turn.place;
  if (conversationType !== 'channel' || !channelId || !tenantId) return [];
  const found = await deps.store.intakeChannels.findByChannel(channelId);
  return found.filter((c) => c.tenantId.toLowerCase() === tenantId.toLowerCase());
}

/**
 * Whether the sender may act as `party` in `municipality` from here. The organisation decides
 * what may be acted as; the registered intake channel decides who: a person in that channel, or,
 * from a personal chat, a member of that channel's team. Never what a card says.
 */
export async function actAs(turn: Turn, deps: Pick<BotDeps, 'store'>, party: Party, municipality: Municipality): Promise<Authority> {
  const partyName = sv.party[party];
  const { organisation, tenantId } = turn.actor;
  if (!mayActAs(organisation, party, municipality)) return refuse(sv.authority.organisationMayNot(organisation.name, partyName, municipality));
  const stored = await deps.store.intakeChannels.get(municipality, party);
  if (!stored) return refuse(sv.authority.noIntakeChannel(partyName, municipality));
  if (stored.value.tenantId.toLowerCase() !== tenantId.toLowerCase()) return refuse(sv.authority.organisationMayNot(organisation.name, partyName, municipality));
  return throughChannel(turn, stored.value);
}

/** The sender acts through this registered channel: in it, or from a personal chat as a member of its team; never as a guest. */
async function throughChannel(turn: Turn, channel: IntakeChannel): Promise<Authority> {
  const partyName = sv.party[channel.party];
  const municipality = channel.municipality;
  const place = turn.place;
  if (place.conversationType === 'channel') {
    if (place.channelId !== channel.channelId) return refuse(sv.authority.startFromChannel);
    return isOwnMember(await turn.senderInRoster(), channel.tenantId) ? { ok: true, channel } : refuse(sv.authority.guest);
  }
  if (place.conversationType === 'personal') {
    const member = await turn.senderInTeam(channel);
    if (!member) return refuse(sv.authority.notMember(partyName, municipality));
    return isOwnMember(member, channel.tenantId) ? { ok: true, channel } : refuse(sv.authority.guest);
  }
  return refuse(sv.authority.startFromChannel);
}

/**
 * The party the sender acts for in a municipality, for a report that any party may make (a
 * deviation): the registration of the channel they are in, or from a personal chat the first of
 * their organisation's registered channels there whose team they belong to.
 */
export async function partyIn(turn: Turn, deps: Pick<BotDeps, 'store'>, municipality: Municipality): Promise<Authority> {
  const { organisation, tenantId } = turn.actor;
  if (turn.place.conversationType === 'channel') {
    // The channel's own registration (an area's forum too), not the party's first one in the municipality.
    const here = (await registrationsHere(turn, deps)).find((r) => r.municipality === municipality && mayActAs(organisation, r.party, municipality));
    return here ? throughChannel(turn, here) : refuse(sv.authority.notPartyIn(municipality));
  }
  if (turn.place.conversationType !== 'personal') return refuse(sv.authority.reportFromChannel);
  const candidates = (await deps.store.intakeChannels.listMunicipality(municipality)).filter(
    (c) => c.tenantId.toLowerCase() === tenantId.toLowerCase() && mayActAs(organisation, c.party, municipality),
  );
  for (const candidate of candidates) {
    const found = await throughChannel(turn, candidate);
    if (found.ok) return found;
  }
  return refuse(sv.authority.notPartyIn(municipality));
}

/** At most this many teams' rosters are asked in one turn (all at once, each within its own time limit). */
const MAX_ROSTER_QUESTIONS = 30;

/**
 * The registered intake channels, for these parties, of the sender's organisation whose team the
 * sender is a member of, asked from a personal chat through each team's own Teams service (one
 * question per team). Reads the directory of the organisation's municipalities only. A roster that
 * does not answer in time counts as "not a member": use it to preset and to list, never to refuse.
 */
export async function channelsOfSender(turn: Turn, deps: Pick<BotDeps, 'store'>, parties: readonly Party[]): Promise<IntakeChannel[]> {
  const { organisation, tenantId } = turn.actor;
  const municipalities = [...new Set(organisation.grants.filter((g) => parties.includes(g.party)).flatMap((g) => g.municipalities))];
  const listed = (await Promise.all(municipalities.map((m) => deps.store.intakeChannels.listMunicipality(m)))).flat();
  const candidates = listed.filter((c) => parties.includes(c.party) && sameTenantId(c.tenantId, tenantId) && mayActAs(organisation, c.party, c.municipality));
  const teams = [...new Map(candidates.map((c) => [c.teamId, c])).values()].slice(0, MAX_ROSTER_QUESTIONS);
  const answers = await Promise.all(teams.map((c) => turn.senderInTeam(c)));
  const memberOf = new Set(teams.filter((c, i) => isOwnMember(answers[i], c.tenantId)).map((c) => c.teamId));
  return candidates.filter((c) => memberOf.has(c.teamId));
}
