import type { TurnContext } from 'botbuilder';
import type { SummonableParty } from '../../domain/meeting';
import type { Meeting } from '../../store/meetingRepository';
import type { Stored } from '../../store/tableRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import { placeOf } from '../turn';

export type Access = { ok: true; meeting: Stored<Meeting> } | { ok: false; message: string };

/**
 * Card data names a meeting, but is never trusted on its own: the action must come from the thread
 * where that party's summons was posted (or, for the convener, the convener's own thread or chat).
 */
export async function meetingFromThread(context: TurnContext, deps: BotDeps, meetingId: unknown, party?: SummonableParty): Promise<Access> {
  if (typeof meetingId !== 'string' || !/^m[0-9a-f]{16}$/.test(meetingId)) return { ok: false, message: sv.meeting.unknownMeeting };
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false, message: sv.meeting.unknownMeeting };
  const place = placeOf(context);
  if (party) {
    const delivery = meeting.value.summons[party];
    const fromThread = delivery?.threadId === place.conversationId && delivery.tenantId === place.tenantId;
    return fromThread ? { ok: true, meeting } : { ok: false, message: sv.meeting.notYourThread };
  }
  return meeting.value.convener.conversationId === place.conversationId ? { ok: true, meeting } : { ok: false, message: sv.meeting.notYourThread };
}
