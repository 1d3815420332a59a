import { TeamsInfo, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { StoredConversationReference } from '../store/conversationReference';
import { isAllowedServiceUrl, type ServiceHosts } from './serviceUrl';
import { withinMoment } from './teamInfo';

/** A team member as Teams' roster gives them. */
export interface RosterEntry {
  tenantId?: string;
  /** "user", "guest" or "anonymous". */
  role?: string;
}

/**
 * Asks a team's roster, through that team's own Teams service, whether a person is a member: how
 * a convener in a personal chat shows they belong to the party they convene for.
 */
export class Roster {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly serviceHosts: ServiceHosts,
  ) {}

  /** The member, or undefined when they are not in the team or the roster does not answer in time. */
  async memberOf(team: { teamId: string; conversationReference: StoredConversationReference }, userId: string): Promise<RosterEntry | undefined> {
    if (!isAllowedServiceUrl(team.conversationReference.serviceUrl, this.serviceHosts)) return undefined;
    let entry: RosterEntry | undefined;
    try {
      await withinMoment(
        this.adapter.continueConversationAsync(this.appId, team.conversationReference as unknown as Partial<ConversationReference>, async (context) => {
          // Not a member is an answer (404), not a failure of the turn: caught here, not by the adapter's error handler.
          const member = await TeamsInfo.getTeamMember(context, team.teamId, userId).catch(() => undefined);
          entry = member && { tenantId: member.tenantId ?? undefined, role: member.userRole ?? undefined };
        }),
        2_500,
      );
    } catch {
      return undefined;
    }
    return entry;
  }
}
