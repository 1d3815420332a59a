import { TeamsInfo, type TurnContext } from 'botbuilder';

/** The names of a team and one of its channels, as the connector knows them. */
export interface TeamNames {
  teamName?: string;
  channelName?: string;
}

/**
 * Teams leaves names out of most activities, so ask the connector. Names only make the directory
 * easier to read: when the connector cannot answer, the registration goes on without them.
 */
export async function lookUpTeamNames(context: TurnContext, teamId: string, channelId: string): Promise<TeamNames> {
  try {
    // Within the ~5 s Teams gives an invoke: names are a nicety, not worth a failed registration.
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_500).unref());
    const [team, channels] = await Promise.race([
      Promise.all([TeamsInfo.getTeamDetails(context, teamId), TeamsInfo.getTeamChannels(context, teamId)]),
      timeout,
    ]);
    const channel = channels.find((c) => c.id === channelId);
    // The General channel has no name of its own in Teams.
    const channelName = channel ? (channel.name ?? 'General') : undefined;
    return { teamName: team.name ?? undefined, channelName };
  } catch {
    return {};
  }
}
