import type { SummonableParty } from '../../domain/meeting';
import type { Meeting } from '../../store/meetingRepository';
import type { Stored } from '../../store/tableRepository';
import type { MeetingThread } from '../../store/threadRepository';
import { sv } from '../../texts/sv';
import { memberHere, sameTenantId } from '../authority';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

export type Access = { ok: true; meeting: Stored<Meeting> } | { ok: false; message: string };

/**
 * Card data names a meeting, but is never trusted on its own: the action must come from the thread
 * where that party's summons was posted (or, for the convener, the convener's own thread or chat).
 */
export async function meetingFromThread(turn: Turn, deps: BotDeps, meetingId: unknown, party?: SummonableParty): Promise<Access> {
  if (typeof meetingId !== 'string' || !/^m[0-9a-f]{16}$/.test(meetingId)) return { ok: false, message: sv.meeting.unknownMeeting };
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false, message: sv.meeting.unknownMeeting };
  const place = turn.place;
  const inThread = party
    ? (meeting.value.summons[party]?.threadId === place.conversationId || justPosted(meeting.value, party, place.conversationId, turn.cardActivityId)) &&
      sameTenant(meeting.value, party, place.tenantId)
    : meeting.value.convener.conversationId === place.conversationId && sameTenant(meeting.value, 'convener', place.tenantId);
  if (!inThread) return { ok: false, message: sv.meeting.notYourThread };
  return (await memberHere(turn)) ? { ok: true, meeting } : { ok: false, message: sv.authority.guest };
}

/**
 * A summons answered in the moment between its post and the outbox recording its thread: the card
 * is the root of a thread in that party's registered channel (Teams names a channel thread
 * `<channel>;messageid=<root post>`).
 */
function justPosted(meeting: Meeting, party: SummonableParty, conversationId: string, cardActivityId: string | undefined): boolean {
  const delivery = meeting.summons[party];
  return Boolean(delivery && !delivery.threadId && cardActivityId && conversationId === `${delivery.channelId};messageid=${cardActivityId}`);
}

/** A meeting's thread belongs to one tenant: the convener's, or the summoned party's. */
function sameTenant(meeting: Meeting, role: MeetingThread['role'], tenantId: string | undefined): boolean {
  const expected = role === 'convener' ? meeting.convener.tenantId : meeting.summons[role]?.tenantId;
  return expected === undefined || sameTenantId(expected, tenantId);
}

/** A meeting and whose window onto it the thread is: the convener's, or a summoned party's. */
export type MeetingInThread = { meeting: Stored<Meeting>; role: MeetingThread['role'] };

/** The one meeting whose thread this message is in; else the message to answer with. */
export async function meetingOfThisThread(turn: Turn, deps: BotDeps, messages: { none: string; several: string }): Promise<MeetingInThread | string> {
  const links = await deps.store.threads.meetingsIn(turn.place.conversationId);
  if (links.length === 0) return messages.none;
  if (links.length > 1) return messages.several;
  const meeting = await deps.store.meetings.get(links[0].meetingId);
  if (!meeting) return sv.meeting.unknownMeeting;
  if (!sameTenant(meeting.value, links[0].role, turn.place.tenantId)) return sv.meeting.notYourThread;
  return (await memberHere(turn)) ? { meeting, role: links[0].role } : sv.authority.guest;
}

/** The meeting a card names, honoured only in one of that meeting's threads; the role comes from the thread, not the card. */
export async function meetingOfCardInThread(turn: Turn, deps: BotDeps, meetingId: unknown): Promise<MeetingInThread | string> {
  const link = (await deps.store.threads.meetingsIn(turn.place.conversationId)).find((l) => l.meetingId === meetingId);
  if (!link) return sv.meeting.notYourThread;
  const meeting = await deps.store.meetings.get(link.meetingId);
  if (!meeting) return sv.meeting.unknownMeeting;
  if (!sameTenant(meeting.value, link.role, turn.place.tenantId)) return sv.meeting.notYourThread;
  return (await memberHere(turn)) ? { meeting, role: link.role } : sv.authority.guest;
}
