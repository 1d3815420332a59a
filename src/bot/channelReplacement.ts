import { noticeCard } from '../cards/noticeCard';
import type { Municipality } from '../domain/municipality';
import type { Party } from '../domain/party';
import type { Logger } from '../log';
import type { IntakeChannel, ReplacementRequest } from '../store/intakeChannelRepository';
import { commitRecord } from '../scheduler/effects';
import { auditEffect } from '../store/effects';
import type { Store } from '../store/store';
import type { Connector } from '../teams/connector';
import { sv } from '../texts/sv';

/** A channel as people know it: team › channel. */
export function channelLabel(channel: { teamName?: string; channelName?: string }): string {
  return [channel.teamName, channel.channelName ?? sv.channels.unnamedChannel].filter(Boolean).join(' › ');
}

export interface ReplacementDecision {
  municipality: Municipality;
  party: Party;
  requestId: string;
  approve: boolean;
  /** Who decided: a Teams user id in the registered channel, or "operator:<name>" from the CLI. */
  by: string;
}

export type DecisionOutcome =
  | { outcome: 'approved' | 'rejected'; request: ReplacementRequest; channel: IntakeChannel; previous: IntakeChannel }
  | { outcome: 'stale' };

interface DecisionDeps {
  store: Store;
  connector: Connector;
  log: Logger;
  clock: () => Date;
}

/**
 * Approves or rejects a pending request to replace a party's intake channel, once: the request
 * must still be the one pending. The requesting channel is told the answer; the audit trail gets
 * the decision. Used by the approval card and by `norrbus kanaler godkänn|avslå`.
 */
export async function decideReplacement(deps: DecisionDeps, decision: ReplacementDecision): Promise<DecisionOutcome> {
  const { municipality, party, requestId, approve, by } = decision;
  const now = deps.clock().toISOString();
  let previous: IntakeChannel | undefined;
  let request: ReplacementRequest | undefined;
  const target = { entity: 'IntakeChannel' as const, partitionKey: municipality, rowKey: party };
  const stored = await commitRecord(deps.store, target, deps.clock(), () =>
    deps.store.intakeChannels.mutate(municipality, party, (current) => {
      // Each try starts afresh: a retry after a conflict may find the request decided by someone else.
      previous = undefined;
      request = undefined;
      if (!current?.replacementRequest || current.replacementRequest.id !== requestId) return undefined;
      previous = current;
      request = current.replacementRequest;
      const audit = auditEffect({
        at: now,
        actor: by,
        action: approve ? 'replaceIntakeChannel' : 'rejectIntakeChannelReplacement',
        entity: 'IntakeChannel',
        key: `${municipality}/${party}`,
        details: { channelId: request.channel.channelId, replacedChannelId: current.channelId, requestId },
      });
      const effects = [...(current.effects ?? []), audit];
      if (!approve) return { ...current, replacementRequest: undefined, effects };
      return { ...request.channel, municipality, party, registeredAt: now, registeredBy: request.requestedBy, approvedBy: by, effects };
    }),
  );
  if (!previous || !request || !stored) return { outcome: 'stale' };

  deps.log.info({ municipality, party, approved: approve }, 'intake channel replacement decided');
  const told = approve ? sv.register.approvedHere(sv.party[party], municipality) : sv.register.rejectedThere(sv.party[party], municipality);
  await deps.connector.sendCard(request.requesterReference, noticeCard(told, '', approve ? 'good' : 'attention')).catch((error: Error) => {
    deps.log.warn({ err: { name: error.name } }, 'requesting channel not told of the decision');
  });
  return { outcome: approve ? 'approved' : 'rejected', request, channel: stored.value, previous };
}

/** What the approval card in the registered channel says once the request is decided. */
export function decidedCard(outcome: Extract<DecisionOutcome, { request: ReplacementRequest }>, municipality: Municipality, party: Party) {
  if (outcome.outcome === 'approved') {
    return noticeCard(sv.register.approved(channelLabel(outcome.request.channel), sv.party[party], municipality), '', 'good');
  }
  return noticeCard(sv.register.rejected(sv.party[party], municipality));
}
