import { randomUUID } from 'node:crypto';
import { BOT_ID, LULEA_KOMMUN_TENANT } from '../support/organisations';

/** The shapes the Agents Playground sends (captured from it), for tests that post to the bot directly. */
export interface Where {
  serviceUrl: string;
  tenantId?: string;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  userId?: string;
}

function base(where: Where) {
  const tenantId = where.tenantId ?? LULEA_KOMMUN_TENANT;
  const conversationType = where.conversationType ?? 'personal';
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: where.serviceUrl,
    from: { id: where.userId ?? '29:karin-lindstrom', name: 'Karin Lindström', aadObjectId: '1b2c3d4e-0001-4000-8000-000000000001' },
    recipient: { id: BOT_ID, name: 'Norrbus' },
    conversation: {
      id: where.conversationId ?? 'a:personal-karin-norrbus',
      conversationType,
      tenantId,
      ...(conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData: { tenant: { id: tenantId } },
    locale: 'sv-SE',
  };
}

export function message(where: Where, text: string): Record<string, unknown> {
  return { ...base(where), type: 'message', text, textFormat: 'plain', entities: [{ type: 'clientInfo', locale: 'sv-SE' }] };
}

/** The bot installed in a team (as the Playground's "install" template). */
export function installation(where: Where & { teamId: string }, action = 'add'): Record<string, unknown> {
  const activity = base({ ...where, conversationId: where.teamId, conversationType: 'channel' });
  return {
    ...activity,
    type: 'installationUpdate',
    action,
    channelData: { ...activity.channelData, team: { id: where.teamId, name: 'Team' }, channel: { id: where.teamId }, source: { name: 'message' } },
  };
}

/** An Action.Execute click on a card the bot posted. */
export function cardAction(where: Where, verb: string, data: unknown, replyToId = 'card-1'): Record<string, unknown> {
  return { ...base(where), type: 'invoke', name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
}
