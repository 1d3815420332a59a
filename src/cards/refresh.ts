import type { SummonableParty } from '../domain/meeting';
import type { Meeting } from '../store/meetingRepository';
import { sv } from '../texts/sv';
import type { AdaptiveCardJson } from './render';

/** Which card of a meeting a refresh asks for. */
export type RefreshView = { view: 'status' } | { view: 'summons'; party: SummonableParty } | { view: 'plan' };

/** Teams refreshes a card automatically for at most 60 listed users. */
const MAX_REFRESH_USERS = 60;

/** The people known to act in a thread of the meeting: they get the card as it stands, with the buttons they may use. */
export function viewersOf(meeting: Meeting, thread: 'convener' | SummonableParty): string[] {
  const ids =
    thread === 'convener'
      ? [meeting.createdBy.id, meeting.fixation?.by.id, meeting.cancellation?.by.id, meeting.closure?.by.id]
      : [meeting.answers[thread]?.by.id, meeting.timeAnswers?.[thread]?.by.id];
  return [...new Set(ids.filter((id): id is string => Boolean(id)))].slice(0, MAX_REFRESH_USERS);
}

/**
 * Adaptive Card Universal Actions: when one of `userIds` opens the card, Teams asks the bot for it
 * (`refreshCard`) and shows that person the card as it stands now, with the buttons they may use;
 * everyone else sees the card as posted.
 */
export function withRefresh(card: AdaptiveCardJson, meetingId: string, view: RefreshView, userIds: string[]): AdaptiveCardJson {
  if (userIds.length === 0) return card;
  return { ...card, refresh: { action: { type: 'Action.Execute', title: sv.meeting.refresh, verb: 'refreshCard', data: { meetingId, ...view } }, userIds } };
}
