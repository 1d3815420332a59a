import { noticeCard } from '../cards/noticeCard';
import type { County } from '../domain/county';
import type { Logger } from '../log';
import { slotKeys, slotLabel, type DirectorySlot, type IntakeChannel, type ReplacementRequest } from '../store/intakeChannelRepository';
import { commitRecord } from '../scheduler/effects';
import { auditEffect } from '../store/effects';
import type { Store } from '../store/store';
import type { Connector } from '../teams/connector';
import { sv } from '../texts/sv';

/** A channel as people know it: team › channel. */
export function channelLabel(channel: { teamName?: string; channelName?: string }): string {
  return [channel.teamName, channel.channelName ?? sv.channels.unnamedChannel].filter(Boolean).join(' › ');
}

/** How the cards name a slot: "Forum barn och unga, område Råneå" in "Luleå"; the samverkansgrupp in "Södra länsdelen". */
export function nameOfSlot(county: County, slot: DirectorySlot): { party: string; where: string } {
  if (slot.party === 'lansdel') return { party: sv.register.lansdelParty, where: county.find(slot.lansdel)?.name ?? slot.lansdel ?? '' };
  if (slot.party === 'forum' && slot.forumArea) return { party: sv.register.forumOfArea(slot.forumArea), where: slot.municipality };
  return { party: sv.party[slot.party], where: slot.municipality };
}

export interface ReplacementDecision {
  /** The directory entry: a party in a municipality, a forum of an area, or a länsdel's channel. */
  slot: DirectorySlot;
  /** How people name it (src/bot/handlers/registration.ts slotName). */
  name: { party: string; where: string };
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
  const { slot, name, requestId, approve, by } = decision;
  const now = deps.clock().toISOString();
  let previous: IntakeChannel | undefined;
  let request: ReplacementRequest | undefined;
  const target = { entity: 'IntakeChannel' as const, ...slotKeys(slot) };
  const stored = await commitRecord(deps.store, target, deps.clock(), () =>
    deps.store.intakeChannels.mutateSlot(slot, (current) => {
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
        key: slotLabel(slot),
        details: { channelId: request.channel.channelId, replacedChannelId: current.channelId, requestId },
      });
      const effects = [...(current.effects ?? []), audit];
      if (!approve) return { ...current, replacementRequest: undefined, effects };
      // The slot stays (party, forum area, länsdel); a party's forum area goes with the slot too.
      return { ...request.channel, municipality: current.municipality, party: current.party, forumArea: current.forumArea, lansdel: current.lansdel, registeredAt: now, registeredBy: request.requestedBy, approvedBy: by, effects };
    }),
  );
  if (!previous || !request || !stored) return { outcome: 'stale' };

  deps.log.info({ municipality: slot.municipality, party: slot.party, approved: approve }, 'intake channel replacement decided');
  const told = approve ? sv.register.approvedHere(name.party, name.where) : sv.register.rejectedThere(name.party, name.where);
  await deps.connector.sendCard(request.requesterReference, noticeCard(told, '', approve ? 'good' : 'attention')).catch((error: Error) => {
    deps.log.warn({ err: { name: error.name } }, 'requesting channel not told of the decision');
  });
  return { outcome: approve ? 'approved' : 'rejected', request, channel: stored.value, previous };
}

/** What the approval card in the registered channel says once the request is decided. */
export function decidedCard(outcome: Extract<DecisionOutcome, { request: ReplacementRequest }>, name: { party: string; where: string }) {
  if (outcome.outcome === 'approved') {
    return noticeCard(sv.register.approved(channelLabel(outcome.request.channel), name.party, name.where), '', 'good');
  }
  return noticeCard(sv.register.rejected(name.party, name.where));
}
