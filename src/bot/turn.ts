import type { AdaptiveCardJson } from '../cards/render';
import type { Organisation } from '../domain/organisation';
import type { StoredConversationReference } from '../store/conversationReference';

/** Where a turn happens, read from the Teams activity. */
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

/** The professional acting in a turn: a Teams user of an organisation in the directory. */
export interface Actor {
  /** Teams user id (Entra object id where Teams gives it), for the audit trail. */
  id: string;
  /** The Teams id, the Entra object id and the display name, for records shown on cards. */
  person: { id: string; aadObjectId?: string; name?: string };
  tenantId: string;
  organisation: Organisation;
}

/** The sender as a team's roster knows them. */
export interface TeamMember {
  tenantId?: string;
  /** Teams' user role: "user", "guest" or "anonymous". */
  role?: string;
}

/**
 * One turn as the handlers see it: who acts, where, and how to answer. The only seam between the
 * flows and the Teams SDK (src/bot/teamsTurn.ts implements it over botbuilder's TurnContext), so a
 * move to another SDK, or a handler test without HTTP, needs nothing else.
 */
export interface Turn {
  readonly place: Place;
  readonly actor: Actor;
  /**
   * Whether the message was meant for the bot: in a personal chat always, elsewhere when it
   * @mentions the bot. Teams delivers the rest of a channel's messages only with resource-specific consent.
   */
  readonly addressed: boolean;
  /** The activity's id, as Teams gave it. */
  readonly activityId?: string;
  /** The card a card action was taken on (the invoke's replyToId). */
  readonly cardActivityId?: string;
  /** The address to reach this conversation again, as plain JSON for the store. */
  readonly reference: StoredConversationReference;
  /** The time of the activity as Teams stamped it, or `now`. */
  time(now: Date): string;
  /** Sends a text; returns its activity id when Teams gives one. */
  send(text: string): Promise<string | undefined>;
  /** Sends a card as its own activity, so it keeps an id that later updates can target. */
  sendCard(card: AdaptiveCardJson): Promise<string | undefined>;
  /** The names of a team and one of its channels, when the connector can tell within a moment. */
  teamNames(teamId: string, channelId: string): Promise<{ teamName?: string; channelName?: string }>;
  /** The sender in this conversation's roster, or undefined when they are not in it (or it cannot answer). */
  senderInRoster(): Promise<TeamMember | undefined>;
  /** The sender in another team's roster (asked through that team's Teams service), or undefined. */
  senderInTeam(team: { teamId: string; conversationReference: StoredConversationReference }): Promise<TeamMember | undefined>;
}
