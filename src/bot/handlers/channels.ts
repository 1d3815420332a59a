import type { TurnContext } from 'botbuilder';
import { channelsCard } from '../../cards/channelsCard';
import type { Municipality } from '../../domain/municipality';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import { placeOf, sendCard } from '../turn';

/** `norrbus kanaler [kommun]`: the directory of the named municipality, or of this channel's. */
export async function listChannels(context: TurnContext, deps: BotDeps, named?: Municipality): Promise<void> {
  let municipality = named;
  const channelId = placeOf(context).channelId;
  if (!municipality && channelId) {
    municipality = (await deps.store.intakeChannels.findByChannel(channelId))[0]?.municipality;
  }
  if (!municipality) {
    await context.sendActivity(sv.channels.askMunicipality);
    return;
  }
  const entries = await deps.store.intakeChannels.listMunicipality(municipality);
  await sendCard(context, channelsCard(municipality, entries));
}
