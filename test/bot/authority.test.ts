import { beforeAll, describe, expect, it } from 'vitest';
import { actAs, partyIn } from '../../src/bot/authority';
import type { Place, TeamMember, Turn } from '../../src/bot/turn';
import { OrganisationDirectory, standardGrants, type Organisation } from '../../src/domain/organisation';
import type { Store } from '../../src/store/store';
import { sv } from '../../src/texts/sv';
import { openTestStore } from '../support/store';

const LULEA_TENANT = '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90';
const REGION_TENANT = '3a9b8c7d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const lulea: Organisation = { tenantId: LULEA_TENANT, name: 'Luleå kommun', kind: 'kommun', grants: standardGrants('kommun', 'Luleå') };
const region: Organisation = { tenantId: REGION_TENANT, name: 'Region Norrbotten', kind: 'region', grants: standardGrants('region') };
const directory = new OrganisationDirectory([lulea, region]);

const SCHOOL_CHANNEL = '19:elevhalsan@thread.tacv2';
const SOCIAL_CHANNEL = '19:mottagning@thread.tacv2';

/** A turn without HTTP: where it happens, who acts, and what the rosters answer. */
function turnAt(place: Partial<Place>, roster: { here?: TeamMember; teams?: Record<string, TeamMember> } = {}): Turn {
  const organisation = directory.find(place.tenantId)!;
  return {
    addressed: true,
    place: { conversationType: 'personal', conversationId: 'a:chat', serviceUrl: 'http://localhost:1/_connector', ...place },
    actor: { id: 'aad-karin', person: { id: '29:karin', aadObjectId: 'aad-karin', name: 'Karin' }, tenantId: organisation.tenantId, organisation },
    reference: { serviceUrl: 'http://localhost:1/_connector', channelId: 'msteams', conversation: { id: place.conversationId ?? 'a:chat' } },
    time: (now) => now.toISOString(),
    send: async () => 'text',
    sendCard: async () => 'card',
    teamNames: async () => ({}),
    senderInRoster: async () => roster.here,
    senderInTeam: async (team) => roster.teams?.[team.teamId],
  };
}

const member: TeamMember = { tenantId: LULEA_TENANT, role: 'user' };

describe('who may act as a party (handlers without HTTP)', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore();
    const channel = (party: 'skola' | 'socialtjanst', teamId: string, channelId: string) => ({
      municipality: 'Luleå' as const,
      party,
      tenantId: LULEA_TENANT,
      teamId,
      channelId,
      serviceUrl: 'http://localhost:1/_connector',
      conversationReference: { serviceUrl: 'http://localhost:1/_connector', channelId: 'msteams', conversation: { id: channelId } },
      registeredAt: '2026-03-02T08:00:00.000Z',
      registeredBy: 'aad-anna',
    });
    await store.intakeChannels.put(channel('skola', 'team-bou', SCHOOL_CHANNEL));
    await store.intakeChannels.put(channel('socialtjanst', 'team-soc', SOCIAL_CHANNEL));
  });

  const inChannel = (channelId: string, roster?: TeamMember) =>
    turnAt({ tenantId: LULEA_TENANT, conversationType: 'channel', conversationId: `${channelId};messageid=1`, teamId: 'team-bou', channelId }, { here: roster });

  it('lets a member act for the party of the intake channel they are in', async () => {
    const result = await actAs(inChannel(SCHOOL_CHANNEL, member), { store }, 'skola', 'Luleå');
    expect(result).toMatchObject({ ok: true, channel: { channelId: SCHOOL_CHANNEL } });
  });

  it('refuses another party than the channel\'s, and a guest in the channel', async () => {
    expect(await actAs(inChannel(SCHOOL_CHANNEL, member), { store }, 'socialtjanst', 'Luleå')).toEqual({ ok: false, message: sv.authority.startFromChannel });
    expect(await actAs(inChannel(SCHOOL_CHANNEL, { tenantId: LULEA_TENANT, role: 'guest' }), { store }, 'skola', 'Luleå')).toEqual({ ok: false, message: sv.authority.guest });
    expect(await actAs(inChannel(SCHOOL_CHANNEL, { tenantId: REGION_TENANT, role: 'user' }), { store }, 'skola', 'Luleå')).toEqual({ ok: false, message: sv.authority.guest });
    expect(await actAs(inChannel(SCHOOL_CHANNEL, undefined), { store }, 'skola', 'Luleå')).toEqual({ ok: false, message: sv.authority.guest });
  });

  it('from a personal chat, needs membership of the party\'s intake channel team', async () => {
    const personal = (teams: Record<string, TeamMember>) => turnAt({ tenantId: LULEA_TENANT }, { teams });
    expect(await actAs(personal({ 'team-soc': member }), { store }, 'socialtjanst', 'Luleå')).toMatchObject({ ok: true });
    expect(await actAs(personal({ 'team-bou': member }), { store }, 'socialtjanst', 'Luleå')).toEqual({ ok: false, message: sv.authority.notMember('Socialtjänst', 'Luleå') });
    expect(await actAs(personal({}), { store }, 'skola', 'Kiruna')).toEqual({ ok: false, message: sv.authority.organisationMayNot('Luleå kommun', 'Skola', 'Kiruna') });
  });

  it('never lets the Region act as the municipality\'s school, whatever the roster says', async () => {
    const turn = turnAt({ tenantId: REGION_TENANT }, { teams: { 'team-bou': { tenantId: REGION_TENANT, role: 'user' } } });
    expect(await actAs(turn, { store }, 'skola', 'Luleå')).toEqual({ ok: false, message: sv.authority.organisationMayNot('Region Norrbotten', 'Skola', 'Luleå') });
    expect(await actAs(turn, { store }, 'primarvard', 'Luleå')).toEqual({ ok: false, message: sv.authority.noIntakeChannel('Primärvård', 'Luleå') });
  });

  it('finds the reporting party in a municipality from the channel or the person\'s teams', async () => {
    expect(await partyIn(inChannel(SOCIAL_CHANNEL, member), { store }, 'Luleå')).toMatchObject({ ok: true, channel: { party: 'socialtjanst' } });
    expect(await partyIn(inChannel(SOCIAL_CHANNEL, member), { store }, 'Boden')).toEqual({ ok: false, message: sv.authority.notPartyIn('Boden') });
    expect(await partyIn(turnAt({ tenantId: LULEA_TENANT }, { teams: { 'team-soc': member } }), { store }, 'Luleå')).toMatchObject({ ok: true, channel: { party: 'socialtjanst' } });
    expect(await partyIn(turnAt({ tenantId: LULEA_TENANT }), { store }, 'Luleå')).toEqual({ ok: false, message: sv.authority.notPartyIn('Luleå') });
  });

  it('finds the reporting forum of an area by its own channel, beside the municipality\'s other forum', async () => {
    const forum = (channelId: string, forumArea?: string) => ({
      municipality: 'Luleå' as const,
      party: 'forum' as const,
      ...(forumArea ? { forumArea } : {}),
      tenantId: LULEA_TENANT,
      teamId: 'team-bou',
      channelId,
      serviceUrl: 'http://localhost:1/_connector',
      conversationReference: { serviceUrl: 'http://localhost:1/_connector', channelId: 'msteams', conversation: { id: channelId } },
      registeredAt: '2026-03-02T08:00:00.000Z',
      registeredBy: 'aad-anna',
    });
    await store.intakeChannels.put(forum('19:forum-centrum@thread.tacv2'));
    await store.intakeChannels.put(forum('19:forum-ranea@thread.tacv2', 'Råneå'));
    expect(await partyIn(inChannel('19:forum-ranea@thread.tacv2', member), { store }, 'Luleå')).toMatchObject({ ok: true, channel: { party: 'forum', forumArea: 'Råneå' } });
    expect(await partyIn(inChannel('19:forum-centrum@thread.tacv2', member), { store }, 'Luleå')).toMatchObject({ ok: true, channel: { party: 'forum', channelId: '19:forum-centrum@thread.tacv2' } });
    expect(await partyIn(inChannel('19:forum-ranea@thread.tacv2', { tenantId: LULEA_TENANT, role: 'guest' }), { store }, 'Luleå')).toEqual({ ok: false, message: sv.authority.guest });
  });
});
