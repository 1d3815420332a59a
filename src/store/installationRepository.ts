import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { applyInstallationEvent, type InstallationEvent } from '../domain/installation';
import { conversationReferenceSchema } from './conversationReference';
import { effectsField, type Effect } from './effects';
import { TableRepository, type Stored } from './tableRepository';

const installationSchema = z.object({
  /** What the last change caused that is not carried out yet (its audit row). */
  effects: effectsField,
  tenantId: z.string().min(1),
  /** The team id for a team, the chat id for a chat. */
  conversationId: z.string().min(1),
  scope: z.enum(['team', 'groupChat', 'personal']),
  teamId: z.string().optional(),
  serviceUrl: z.string().url(),
  conversationReference: conversationReferenceSchema,
  status: z.enum(['installed', 'removed']),
  lastEventAt: z.string().datetime({ offset: true }),
  installedAt: z.string().datetime({ offset: true }).optional(),
  removedAt: z.string().datetime({ offset: true }).optional(),
});

/** Where the bot is installed (a team or chat), and whether it still is. */
export type Installation = z.infer<typeof installationSchema>;
export type InstallationTarget = Omit<Installation, 'status' | 'lastEventAt' | 'installedAt' | 'removedAt'>;

export class InstallationRepository extends TableRepository<Installation> {
  constructor(table: TableClient) {
    super(table, installationSchema, 'Installation');
  }

  protected keysOf(value: Installation) {
    return { partitionKey: value.tenantId, rowKey: value.conversationId };
  }

  protected columnsOf(value: Installation) {
    return { status: value.status, scope: value.scope };
  }

  /**
   * Applies an add or remove idempotently. Returns the stored record and whether the installation
   * status changed (installed ↔ removed); a repeated or late event changes nothing.
   */
  async record(
    target: InstallationTarget,
    event: InstallationEvent,
    auditOf?: (status: Installation['status']) => Effect,
  ): Promise<{ installation: Stored<Installation>; statusChanged: boolean }> {
    let statusChanged = false;
    const stored = await this.mutate(target.tenantId, target.conversationId, (current) => {
      const next = applyInstallationEvent(current, event);
      statusChanged = next !== undefined && next.status !== current?.status;
      if (!next) return undefined;
      // The newest event also brings the newest address of the conversation; a change of status its audit row.
      const effects = [...(current?.effects ?? []), ...(statusChanged && auditOf ? [auditOf(next.status)] : [])];
      return { ...target, ...next, effects };
    });
    if (!stored) throw new Error('installation event ignored before any record existed');
    return { installation: stored, statusChanged };
  }
}
