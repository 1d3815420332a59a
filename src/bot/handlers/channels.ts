import { channelsCard } from '../../cards/channelsCard';
import type { Municipality } from '../../domain/municipality';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

/** `norrbus kanaler [kommun]`: the directory of the named municipality, or of this channel's, with its forums and its länsdel's channel. */
export async function listChannels(turn: Turn, deps: BotDeps, named?: Municipality): Promise<void> {
  let municipality = named;
  const channelId = turn.place.channelId;
  if (!municipality && channelId) {
    municipality = (await deps.store.intakeChannels.findByChannel(channelId))[0]?.municipality;
  }
  if (!municipality) {
    await turn.send(sv.channels.askMunicipality);
    return;
  }
  const entries = await deps.store.intakeChannels.listMunicipality(municipality);
  const lansdel = deps.config.county.lansdelOf(municipality);
  const lansdelChannel = (await deps.store.intakeChannels.getLansdel(lansdel.id))?.value;
  await turn.sendCard(channelsCard(municipality, entries, { name: lansdel.name, channel: lansdelChannel }));
}
