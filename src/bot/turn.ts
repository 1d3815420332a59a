import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render';
import type { StoredConversationReference } from '../store/conversationReference';

/** What a turn says about where it happens, read from the Teams activity. */
export interface Place {
  tenantId?: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  conversationId: string;
  teamId?: string;
  teamName?: string;
  channelId?: string;
  channelName?: string;
  serviceUrl: string;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

export function placeOf(context: TurnContext): Place {
  const activity = context.activity;
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const rawType = activity.conversation?.conversationType;
  const conversationType = rawType === 'channel' || rawType === 'groupChat' ? rawType : 'personal';
  return {
    tenantId: data.tenant?.id ?? activity.conversation?.tenantId,
    conversationType,
    conversationId: activity.conversation.id,
    teamId: data.team?.id,
    teamName: data.team?.name,
    channelId: data.channel?.id,
    channelName: data.channel?.name,
    serviceUrl: activity.serviceUrl,
  };
}

/** The acting person's Teams user id (Entra object id where Teams gives it): a professional, for the audit trail. */
export function actorOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'unknown';
}

/** The acting professional, for records shown on cards: Teams id, Entra object id and display name. */
export function personOf(context: TurnContext): { id: string; aadObjectId?: string; name?: string } {
  const from = context.activity.from ?? { id: 'unknown' };
  return { id: from.id, aadObjectId: from.aadObjectId, name: from.name?.slice(0, 100) };
}

/** The address to reach this conversation again, as plain JSON for the store. */
export function referenceOf(context: TurnContext): StoredConversationReference {
  return JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as StoredConversationReference;
}

/** The time of the activity as Teams stamped it, or now. */
export function timeOf(context: TurnContext, now: Date): string {
  const stamp = context.activity.timestamp;
  const parsed = stamp ? new Date(stamp) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : now.toISOString();
}

/** Sends a card as its own activity, so it keeps an id that later updates can target. */
export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<string | undefined> {
  const response = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  return response?.id;
}
