import path from 'node:path';
import type { Municipality } from '../../src/domain/municipality';
import type { Party } from '../../src/domain/party';
import { projectRoot } from '../../src/projectRoot';
import type { IntakeChannel } from '../../src/store/intakeChannelRepository';
import type { Store } from '../../src/store/store';

/**
 * The local demo (`npm start`): Luleå's three core parties, each with its own Agents Playground
 * (a local Teams client) and its intake channel already in the channel directory. The ids are
 * copies of playground/lulea-*.yml (the `yaml` parser is not a dependency of the project); keep
 * them in step with those files. test/scripts/dev.test.ts compares them with the running Playgrounds.
 */
export const DEMO_MUNICIPALITY: Municipality = 'Luleå';

/** The parties of the demo, in the order of their Playground ports: PLAYGROUND_PORT, +1, +2. */
export const DEMO_PARTIES = ['skola', 'socialtjanst', 'primarvard'] as const satisfies readonly Party[];
export type DemoParty = (typeof DEMO_PARTIES)[number];

/** The bot as every Playground config names it (its Teams id and name). */
export const DEMO_BOT = { id: '28:4a7d3c2b-1e0f-4a9b-8c7d-6e5f4a3b2c1d', name: 'Norrbus' } as const;

export interface DemoOrganisation {
  party: DemoParty;
  /** The party as the help card and the directory name it. */
  partyLabel: string;
  /** The organisation, for people: "Sunderby skola". */
  organisation: string;
  /** Who you are in its Playground. */
  currentUser: { id: string; name: string; role: string };
  /** Absolute path of its Playground config. */
  configPath: string;
  tenantId: string;
  teamId: string;
  teamName: string;
  /** The intake channel ("en väg in") registered for the party in Luleå. */
  channelId: string;
  channelName: string;
}

const config = (file: string) => path.join(projectRoot(), 'playground', file);
const LULEA_KOMMUN_TENANT = '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90';
const REGION_NORRBOTTEN_TENANT = '3a9b8c7d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

export const DEMO_ORGANISATIONS: Readonly<Record<DemoParty, DemoOrganisation>> = {
  skola: {
    party: 'skola',
    partyLabel: 'Skola',
    organisation: 'Sunderby skola',
    currentUser: { id: '29:karin-lindstrom', name: 'Karin Lindström', role: 'kurator' },
    configPath: config('lulea-skola.yml'),
    tenantId: LULEA_KOMMUN_TENANT,
    teamId: '19:general-bou-lulea@thread.tacv2',
    teamName: 'Barn- och utbildningsförvaltningen Luleå',
    channelId: '19:norrbus-elevhalsan@thread.tacv2',
    channelName: 'Norrbus – Elevhälsan',
  },
  socialtjanst: {
    party: 'socialtjanst',
    partyLabel: 'Socialtjänst',
    organisation: 'Luleå kommun, IFO barn och unga',
    currentUser: { id: '29:jonas-nilsson', name: 'Jonas Nilsson', role: 'socialsekreterare' },
    configPath: config('lulea-socialtjanst.yml'),
    tenantId: LULEA_KOMMUN_TENANT,
    teamId: '19:general-soc-lulea@thread.tacv2',
    teamName: 'Socialförvaltningen Luleå',
    channelId: '19:norrbus-mottagning-bou@thread.tacv2',
    channelName: 'Norrbus – Mottagning barn och unga',
  },
  primarvard: {
    party: 'primarvard',
    partyLabel: 'Primärvård',
    organisation: 'Hälsocentralen Hertsön, Region Norrbotten',
    currentUser: { id: '29:leila-karimi', name: 'Leila Karimi', role: 'distriktssköterska' },
    configPath: config('lulea-primarvard.yml'),
    tenantId: REGION_NORRBOTTEN_TENANT,
    teamId: '19:general-hc-hertson@thread.tacv2',
    teamName: 'Hälsocentralen Hertsön',
    channelId: '19:norrbus-hc-hertson@thread.tacv2',
    channelName: 'Norrbus – Hälsocentralen Hertsön',
  },
};

/** The serviceUrl a bot sees in activities from the Playground on `port` (and answers to). */
export function playgroundServiceUrl(port: number): string {
  return `http://localhost:${port}/_connector`;
}

/** Who registered the demo channels, in the directory and the audit trail. */
export const DEMO_ACTOR = 'demo';

/**
 * The registration of a party's intake channel as `norrbus registrera` in that channel would store
 * it: the conversation reference botbuilder makes of a channel activity (minus the user and the
 * activity, which a seed does not have), pointing at the channel itself.
 */
export function demoIntakeChannel(party: DemoParty, serviceUrl: string, now: Date): IntakeChannel {
  const org = DEMO_ORGANISATIONS[party];
  return {
    municipality: DEMO_MUNICIPALITY,
    party,
    tenantId: org.tenantId,
    teamId: org.teamId,
    channelId: org.channelId,
    teamName: org.teamName,
    channelName: org.channelName,
    serviceUrl,
    conversationReference: {
      bot: { ...DEMO_BOT },
      conversation: { id: org.channelId, isGroup: true, conversationType: 'channel', tenantId: org.tenantId },
      channelId: 'msteams',
      serviceUrl,
    },
    registeredAt: now.toISOString(),
    registeredBy: DEMO_ACTOR,
  };
}

export type SeedOutcome = 'created' | 'replaced' | 'unchanged';

export interface SeedResult {
  party: DemoParty;
  outcome: SeedOutcome;
  /** The channel the pair pointed at before, when it was replaced. */
  replacedChannelId?: string;
}

/**
 * Puts each demo party's intake channel in Luleå into the channel directory, idempotently: a
 * registration that already points at the same channel through the same Playground (serviceUrl)
 * is left as it is; a missing one is created and one pointing elsewhere is replaced, each with an
 * audit entry (`seedDemoIntakeChannel`).
 */
export async function seedDemoDirectory(
  store: Store,
  playgroundServiceUrls: Record<DemoParty, string>,
  now: Date,
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (const party of DEMO_PARTIES) {
    const wanted = demoIntakeChannel(party, playgroundServiceUrls[party], now);
    let result: SeedResult = { party, outcome: 'unchanged' };
    await store.intakeChannels.mutate(DEMO_MUNICIPALITY, party, (current) => {
      if (!current) {
        result = { party, outcome: 'created' };
        return wanted;
      }
      if (current.channelId === wanted.channelId && current.serviceUrl === wanted.serviceUrl && current.conversationReference.serviceUrl === wanted.serviceUrl) {
        result = { party, outcome: 'unchanged' };
        return undefined;
      }
      result = { party, outcome: 'replaced', replacedChannelId: current.channelId };
      return wanted;
    });
    if (result.outcome !== 'unchanged') {
      await store.audit.append({
        at: now.toISOString(),
        actor: DEMO_ACTOR,
        action: 'seedDemoIntakeChannel',
        entity: 'IntakeChannel',
        key: `${DEMO_MUNICIPALITY}/${party}`,
        details: {
          channelId: wanted.channelId,
          serviceUrl: wanted.serviceUrl,
          ...(result.replacedChannelId ? { replacedChannelId: result.replacedChannelId } : {}),
        },
      });
    }
    results.push(result);
  }
  return results;
}
