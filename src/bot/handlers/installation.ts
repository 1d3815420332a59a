import type { InstallationEvent, InstallationScope } from '../../domain/installation';
import type { InstallationTarget } from '../../store/installationRepository';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

function targetOf(turn: Turn): InstallationTarget | undefined {
  const place = turn.place;
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
    conversationReference: turn.reference,
  };
}

async function record(turn: Turn, deps: BotDeps, action: InstallationEvent['action']): Promise<void> {
  const target = targetOf(turn);
  if (!target) {
    deps.log.warn('installation event without tenant or conversation; ignored');
    return;
  }
  const event: InstallationEvent = { action, at: turn.time(deps.clock()) };
  const key = `${target.tenantId}/${target.conversationId}`;
  const audit = (status: string) =>
    auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action: action === 'add' ? 'installBot' : 'uninstallBot', entity: 'Installation', key, details: { scope: target.scope, status } });
  const { installation, statusChanged } = await commitRecord(deps.store, { entity: 'Installation', partitionKey: target.tenantId, rowKey: target.conversationId }, deps.clock(), () =>
    deps.store.installations.record(target, event, audit),
  );
  deps.log.info({ scope: target.scope, action, statusChanged, status: installation.value.status }, 'installation event');
}

/**
 * The bot added to or removed from a team or chat: an `installationUpdate` (add, add-upgrade,
 * remove, remove-upgrade) or a `conversationUpdate` naming the bot among the members.
 */
export async function onInstallation(turn: Turn, deps: BotDeps, action: InstallationEvent['action']): Promise<void> {
  await record(turn, deps, action);
}
