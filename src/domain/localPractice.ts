import { addWorkingDays, type IsoDate } from './calendar';

/**
 * Time limits that neither agreement sets (lokal rutin): how long a summoned party has to answer,
 * and the limit an acute meeting is held within ("snarast möjligt" in 2013). Configurable per
 * deployment; the cards call them local practice, never the agreement's rule.
 */
export interface LocalPractice {
  /** Working days to answer an ordinary summons. */
  replyDays: number;
  /** Working days to answer an acute summons. */
  urgentReplyDays: number;
  /** Working days within which an acute meeting is held. */
  urgentMeetingDays: number;
}

export const DEFAULT_LOCAL_PRACTICE: LocalPractice = { replyDays: 3, urgentReplyDays: 1, urgentMeetingDays: 2 };

/**
 * The reply-by day of a summons sent on `summonsDate`: the local limit, but never later than the
 * working day before the first proposed time (when that day is not already past).
 */
export function replyByFor(summonsDate: IsoDate, urgent: boolean, firstMeetingDay: IsoDate, practice: LocalPractice): IsoDate {
  const byRule = addWorkingDays(summonsDate, urgent ? practice.urgentReplyDays : practice.replyDays);
  const dayBefore = addWorkingDays(firstMeetingDay, -1);
  return dayBefore < byRule && dayBefore >= summonsDate ? dayBefore : byRule;
}
