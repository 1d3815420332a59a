/** Where the bot is installed: a team, a group chat or a personal chat. */
export type InstallationScope = 'team' | 'groupChat' | 'personal';
export type InstallationStatus = 'installed' | 'removed';

/** One add or remove of the bot, as Teams reports it (installationUpdate or conversationUpdate). */
export interface InstallationEvent {
  action: 'add' | 'remove';
  /** When Teams says it happened (ISO 8601); orders events that arrive out of order or twice. */
  at: string;
}

export interface InstallationState {
  status: InstallationStatus;
  lastEventAt: string;
  installedAt?: string;
  removedAt?: string;
}

/**
 * The state after an event. Teams can repeat an event (add and add-upgrade, remove and
 * remove-upgrade) or deliver them out of order; the event with the latest time decides, so applying
 * the same events in any order, any number of times, gives the same state. Returns undefined when
 * the event changes nothing.
 */
export function applyInstallationEvent(
  current: InstallationState | undefined,
  event: InstallationEvent,
): InstallationState | undefined {
  if (current && Date.parse(event.at) < Date.parse(current.lastEventAt)) return undefined;
  const status: InstallationStatus = event.action === 'add' ? 'installed' : 'removed';
  if (current && current.status === status && current.lastEventAt === event.at) return undefined;
  if (current && current.status === status) return { ...current, lastEventAt: event.at };
  return status === 'installed'
    ? { status, lastEventAt: event.at, installedAt: event.at, removedAt: undefined }
    : { status, lastEventAt: event.at, installedAt: current?.installedAt, removedAt: event.at };
}
