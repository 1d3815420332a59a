import { DateTime } from 'luxon';
import type { Municipality } from '../domain/municipality';
import { PARTIES, type Party } from '../domain/party';
import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

/** What the channels card shows of one registration; names are of teams and channels, never of people. */
export interface DirectoryEntry {
  party: Party;
  teamName?: string;
  channelName?: string;
  registeredAt: string;
}

export interface ChannelsCardData {
  title: string;
  rows: { party: string; where: string; detail: string; registered: boolean }[];
}

/** The channel directory of one municipality: every party, registered or not. */
export function channelsCard(municipality: Municipality, entries: DirectoryEntry[]): AdaptiveCardJson {
  const rows = PARTIES.map((party) => {
    const entry = entries.find((e) => e.party === party);
    if (!entry) return { party: sv.party[party], where: sv.channels.missing, detail: sv.channels.missingHint, registered: false };
    const where = [entry.teamName, entry.channelName ?? sv.channels.unnamedChannel].filter(Boolean).join(' › ');
    const date = DateTime.fromISO(entry.registeredAt, { zone: 'Europe/Stockholm' }).toFormat('yyyy-MM-dd');
    return { party: sv.party[party], where, detail: sv.channels.registeredOn(date), registered: true };
  });
  return renderCard<ChannelsCardData>('channels', { title: sv.channels.title(municipality), rows });
}
