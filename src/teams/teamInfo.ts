import { TeamsInfo, type TurnContext } from 'botbuilder';

/** The names of a team and one of its channels, as the connector knows them. */
export interface TeamNames {
  teamName?: string;
  channelName?: string;
}

/** Within the ~5 s Teams gives an invoke, a roster or name lookup gets 1.5 s. */
export function withinMoment<T>(work: Promise<T>, ms = 1_500): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Teams leaves names out of most activities, so ask the connector. Names only make the directory
 * easier to read: when the connector cannot answer, the registration goes on without them.
 */
export async function lookUpTeamNames(context: TurnContext, teamId: string, channelId: string): Promise<TeamNames> {
  try {
    const [team, channels] = await withinMoment(Promise.all([TeamsInfo.getTeamDetails(context, teamId), TeamsInfo.getTeamChannels(context, teamId)]));
    const channel = channels.find((c) => c.id === channelId);
    // The General channel has no name of its own in Teams.
    const channelName = channel ? (channel.name ?? 'General') : undefined;
    return { teamName: team.name ?? undefined, channelName };
  } catch {
    return {};
  }
}
