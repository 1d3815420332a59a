import { CardFactory, MessageFactory, TeamsInfo, TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render';
import type { Organisation } from '../domain/organisation';
import type { StoredConversationReference } from '../store/conversationReference';
import type { Roster } from '../teams/roster';
import { lookUpTeamNames, withinMoment } from '../teams/teamInfo';
import type { Actor, Place, TeamMember, Turn } from './turn';

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

/** Where the activity happens, as Teams describes it. */
export function placeOf(context: TurnContext): Place {
  const activity = context.activity;
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const rawType = activity.conversation?.conversationType;
  const conversationType = rawType === 'channel' || rawType === 'groupChat' ? rawType : 'personal';
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    tenantId: text(data.tenant?.id) ?? text(activity.conversation?.tenantId),
    conversationType,
    conversationId: activity.conversation.id,
    teamId: text(data.team?.id),
    teamName: text(data.team?.name),
    channelId: text(data.channel?.id),
    channelName: text(data.channel?.name),
    serviceUrl: activity.serviceUrl,
  };
}

function actorOf(context: TurnContext, tenantId: string, organisation: Organisation): Actor {
  const from = context.activity.from;
  const name = typeof from.name === 'string' ? from.name.slice(0, 100) : undefined;
  const aadObjectId = typeof from.aadObjectId === 'string' ? from.aadObjectId : undefined;
  return { id: aadObjectId ?? from.id, person: { id: from.id, aadObjectId, name }, tenantId, organisation };
}

/** The project's Turn over botbuilder's TurnContext, for an activity whose tenant is in the directory. */
export function teamsTurn(context: TurnContext, organisation: Organisation, roster: Roster): Turn {
  const place = placeOf(context);
  const activity = context.activity;
  return {
    place,
    actor: actorOf(context, place.tenantId ?? organisation.tenantId, organisation),
    addressed: place.conversationType === 'personal' || TurnContext.getMentions(activity).some((m) => m.mentioned?.id === activity.recipient?.id),
    activityId: typeof activity.id === 'string' && activity.id !== '' ? activity.id : undefined,
    cardActivityId: typeof activity.replyToId === 'string' && activity.replyToId !== '' ? activity.replyToId : undefined,
    reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as StoredConversationReference,
    time(now: Date): string {
      const parsed = activity.timestamp ? new Date(activity.timestamp) : undefined;
      return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : now.toISOString();
    },
    async send(text: string): Promise<string | undefined> {
      return (await context.sendActivity(text))?.id;
    },
    async sendCard(card: AdaptiveCardJson): Promise<string | undefined> {
      const response = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      return response?.id;
    },
    teamNames: (teamId, channelId) => lookUpTeamNames(context, teamId, channelId),
    async senderInRoster(): Promise<TeamMember | undefined> {
      try {
        const member = await withinMoment(TeamsInfo.getMember(context, activity.from.id));
        return { tenantId: member.tenantId ?? undefined, role: member.userRole ?? undefined };
      } catch {
        return undefined;
      }
    },
    senderInTeam: (team) => roster.memberOf(team, activity.from.id),
  };
}
