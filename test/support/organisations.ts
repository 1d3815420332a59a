import path from 'node:path';
import { projectRoot } from '../../src/projectRoot';

/** The bot as all three Playground configs name it. */
export const BOT_ID = '28:4a7d3c2b-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
export const BOT_NAME = 'Norrbus';

/** Luleå kommun's tenant (the school and social services); Region Norrbotten has its own. */
export const LULEA_KOMMUN_TENANT = '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90';
export const REGION_NORRBOTTEN_TENANT = '3a9b8c7d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

export type DemoPartyKey = 'skola' | 'socialtjanst' | 'primarvard';

export interface Organisation {
  /** Absolute path of the Playground config (playground/lulea-*.yml). */
  configPath: string;
  tenantId: string;
  /** Who you are in this organisation's Playground. */
  currentUser: { id: string; name: string; aadObjectId: string };
  personalChat: string;
  groupChat: string;
  teamId: string;
  teamName: string;
  /** The General channel: its conversation id is the team id. */
  general: string;
  /** The channel registered as the party's intake channel in Luleå ("en väg in"). */
  intakeChannel: string;
  intakeChannelName: string;
  /** The bot id, the same in every organisation. */
  botId: string;
}

const config = (file: string) => path.join(projectRoot(), 'playground', file);

/**
 * The three organisations of the local demo, one Playground each (`npm start`), as literal copies
 * of playground/lulea-skola.yml, lulea-socialtjanst.yml and lulea-primarvard.yml. Change them
 * together: test/scripts/dev.test.ts checks these against what each running Playground reports.
 */
export const ORGS: Readonly<Record<DemoPartyKey, Organisation>> = {
  skola: {
    configPath: config('lulea-skola.yml'),
    tenantId: LULEA_KOMMUN_TENANT,
    currentUser: { id: '29:karin-lindstrom', name: 'Karin Lindström', aadObjectId: '1b2c3d4e-0001-4000-8000-000000000001' },
    personalChat: 'a:personal-karin-norrbus',
    groupChat: '19:grupp-norrbus@thread.v2',
    teamId: '19:general-bou-lulea@thread.tacv2',
    teamName: 'Barn- och utbildningsförvaltningen Luleå',
    general: '19:general-bou-lulea@thread.tacv2',
    intakeChannel: '19:norrbus-elevhalsan@thread.tacv2',
    intakeChannelName: 'Norrbus – Elevhälsan',
    botId: BOT_ID,
  },
  socialtjanst: {
    configPath: config('lulea-socialtjanst.yml'),
    tenantId: LULEA_KOMMUN_TENANT,
    currentUser: { id: '29:jonas-nilsson', name: 'Jonas Nilsson', aadObjectId: '1b2c3d4e-0011-4000-8000-000000000011' },
    personalChat: 'a:personal-jonas-norrbus',
    groupChat: '19:grupp-ifo-barn-unga@thread.v2',
    teamId: '19:general-soc-lulea@thread.tacv2',
    teamName: 'Socialförvaltningen Luleå',
    general: '19:general-soc-lulea@thread.tacv2',
    intakeChannel: '19:norrbus-mottagning-bou@thread.tacv2',
    intakeChannelName: 'Norrbus – Mottagning barn och unga',
    botId: BOT_ID,
  },
  primarvard: {
    configPath: config('lulea-primarvard.yml'),
    tenantId: REGION_NORRBOTTEN_TENANT,
    currentUser: { id: '29:leila-karimi', name: 'Leila Karimi', aadObjectId: '2c3d4e5f-0021-4000-8000-000000000021' },
    personalChat: 'a:personal-leila-norrbus',
    groupChat: '19:grupp-hc-hertson@thread.v2',
    teamId: '19:general-hc-hertson@thread.tacv2',
    teamName: 'Hälsocentralen Hertsön',
    general: '19:general-hc-hertson@thread.tacv2',
    intakeChannel: '19:norrbus-hc-hertson@thread.tacv2',
    intakeChannelName: 'Norrbus – Hälsocentralen Hertsön',
    botId: BOT_ID,
  },
};

/** The parties in the order of their Playground ports (PLAYGROUND_PORT, +1, +2). */
export const ORG_KEYS: readonly DemoPartyKey[] = ['skola', 'socialtjanst', 'primarvard'];
