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
  /** A forum's area, or the forum area a party's cases go to. */
  forumArea?: string;
}

export interface ChannelsCardData {
  title: string;
  rows: { party: string; where: string; detail: string; registered: boolean }[];
}

function row(label: string, entry: DirectoryEntry | undefined, extra = ''): ChannelsCardData['rows'][number] {
  if (!entry) return { party: label, where: sv.channels.missing, detail: sv.channels.missingHint, registered: false };
  const where = [entry.teamName, entry.channelName ?? sv.channels.unnamedChannel].filter(Boolean).join(' › ');
  const date = DateTime.fromISO(entry.registeredAt, { zone: 'Europe/Stockholm' }).toFormat('yyyy-MM-dd');
  return { party: label, where, detail: [sv.channels.registeredOn(date), extra].filter(Boolean).join(' · '), registered: true };
}

/**
 * The channel directory of one municipality: every party, registered or not; each of its Forum
 * barn och unga (the one without area first); and the channel of its länsdel's samverkansgrupp.
 */
export function channelsCard(municipality: Municipality, entries: DirectoryEntry[], lansdel?: { name: string; channel?: DirectoryEntry }): AdaptiveCardJson {
  const rows: ChannelsCardData['rows'] = [];
  for (const party of PARTIES) {
    if (party === 'lansdel') continue;
    const mine = entries.filter((e) => e.party === party);
    if (party === 'forum' && mine.length > 0) {
      for (const forum of mine) rows.push(row(forum.forumArea ? sv.register.forumOfArea(forum.forumArea) : sv.party.forum, forum));
      continue;
    }
    const entry = mine[0];
    rows.push(row(sv.party[party], entry, entry?.forumArea ? sv.channels.forumArea(entry.forumArea) : ''));
  }
  if (lansdel) rows.push(row(sv.channels.lansdelRow(lansdel.name), lansdel.channel));
  return renderCard<ChannelsCardData>('channels', { title: sv.channels.title(municipality), rows });
}
