import type { TurnContext } from 'botbuilder';
import type { InstallationEvent, InstallationScope } from '../../domain/installation';
import type { InstallationTarget } from '../../store/installationRepository';
import type { BotDeps } from '../deps';
import { actorOf, placeOf, referenceOf, timeOf } from '../turn';

function targetOf(context: TurnContext): InstallationTarget | undefined {
  const place = placeOf(context);
  if (!place.tenantId) return undefined;
  const scope: InstallationScope = place.conversationType === 'channel' ? 'team' : place.conversationType;
  const conversationId = scope === 'team' ? place.teamId : place.conversationId;
  if (!conversationId) return undefined;
  return {
    tenantId: place.tenantId,
    conversationId,
    scope,
    teamId: place.teamId,
    serviceUrl: place.serviceUrl,
    conversationReference: referenceOf(context),
  };
}

async function record(context: TurnContext, deps: BotDeps, action: InstallationEvent['action']): Promise<void> {
  const target = targetOf(context);
  if (!target) {
    deps.log.warn({ activity: context.activity.type }, 'installation event without tenant or conversation; ignored');
    return;
  }
  const event: InstallationEvent = { action, at: timeOf(context, deps.clock()) };
  const { installation, statusChanged } = await deps.store.installations.record(target, event);
  deps.log.info({ scope: target.scope, action, statusChanged, status: installation.value.status }, 'installation event');
  if (statusChanged) {
    await deps.store.audit.append({
      at: deps.clock().toISOString(),
      actor: actorOf(context),
      action: action === 'add' ? 'installBot' : 'uninstallBot',
      entity: 'Installation',
      key: `${target.tenantId}/${target.conversationId}`,
      details: { scope: target.scope, status: installation.value.status },
    });
  }
}

/** `installationUpdate`: add, add-upgrade, remove, remove-upgrade. */
export async function onInstallationUpdate(context: TurnContext, deps: BotDeps): Promise<void> {
  const action = String(context.activity.action ?? '');
  if (action.startsWith('add')) await record(context, deps, 'add');
  else if (action.startsWith('remove')) await record(context, deps, 'remove');
}

/** `conversationUpdate` with the bot among the members added or removed. */
export async function onMembersChanged(context: TurnContext, deps: BotDeps, change: 'added' | 'removed'): Promise<void> {
  const botId = context.activity.recipient?.id;
  const members = (change === 'added' ? context.activity.membersAdded : context.activity.membersRemoved) ?? [];
  if (!members.some((m) => m.id === botId)) return;
  await record(context, deps, change === 'added' ? 'add' : 'remove');
}
