import { renderCard } from '../../cards/render';
import { dateInStockholm } from '../../domain/calendar';
import { SUMMONABLE_PARTIES, type SummonableParty } from '../../domain/meeting';
import type { Meeting } from '../../store/meetingRepository';
import { formatDate, formatLocalDateTime } from '../../texts/format';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { channelsOfSender } from '../authority';

export interface MyMeetingsCardData {
  title: string;
  none: string;
  rows: { caseReference: string; where: string; state: string; next: string; waiting: boolean }[];
}

/** At most this many rows of each kind. */
const MAX_ROWS = 20;
/** Meetings read at once. */
const READ_BATCH = 10;

async function readMeetings(deps: BotDeps, ids: string[]): Promise<Map<string, Meeting>> {
  const found = new Map<string, Meeting>();
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    const batch = await Promise.all(ids.slice(i, i + READ_BATCH).map((id) => deps.store.meetings.get(id)));
    for (const stored of batch) if (stored) found.set(stored.value.id, stored.value);
  }
  return found;
}

/**
 * The meetings waiting for an answer from a party whose intake channel's team the person is a
 * member of: the summons threads of those channels (a key range each), then those meetings.
 */
async function waitingForMyParty(turn: Turn, deps: BotDeps): Promise<{ meeting: Meeting; party: SummonableParty }[]> {
  const channels = await channelsOfSender(turn, deps, SUMMONABLE_PARTIES);
  const channelIds = [...new Set(channels.map((c) => c.channelId))];
  const threads = (await Promise.all(channelIds.map((id) => deps.store.threads.threadsInChannel(id)))).flat();
  const mine = threads.filter((t) => channels.some((c) => c.party === t.role && t.conversationId.startsWith(`${c.channelId};`)));
  const meetings = await readMeetings(deps, [...new Set(mine.map((t) => t.meetingId))]);
  const waiting: { meeting: Meeting; party: SummonableParty }[] = [];
  for (const thread of mine) {
    const meeting = meetings.get(thread.meetingId);
    const party = thread.role as SummonableParty;
    if (!meeting || meeting.state !== 'summoning' || meeting.erasure || meeting.answers[party] || !meeting.intake.summoned.includes(party)) continue;
    if (meeting.summons[party]?.threadId !== thread.conversationId) continue;
    if (!channels.some((c) => c.party === party && c.municipality === meeting.intake.municipality)) continue;
    if (!waiting.some((w) => w.meeting.id === meeting.id && w.party === party)) waiting.push({ meeting, party });
  }
  return waiting.sort((a, b) => a.meeting.deadlines.replyBy.localeCompare(b.meeting.deadlines.replyBy)).slice(0, MAX_ROWS);
}

/**
 * `norrbus mina möten`: first the meetings waiting for an answer from the person's party, with the
 * reply-by date; then the meetings this person convened or answered, newest first.
 */
export async function listMyMeetings(turn: Turn, deps: BotDeps): Promise<void> {
  // The list spans organisations' cases: it is shown only to the person, never in a shared channel.
  if (turn.place.conversationType !== 'personal') {
    await turn.send(sv.onlyPersonal);
    return;
  }
  const now = deps.clock();
  const today = dateInStockholm(now);
  const [links, waiting] = await Promise.all([deps.store.userMeetings.forUser(turn.actor.id), waitingForMyParty(turn, deps)]);
  const rows: MyMeetingsCardData['rows'] = waiting.map(({ meeting, party }) => ({
    caseReference: meeting.intake.caseReference,
    where: `${meeting.intake.municipality} · ${sv.myMeetings.role.waiting} (${sv.party[party]})`,
    state: sv.myMeetings.state[meeting.state],
    next:
      meeting.deadlines.replyBy < today
        ? sv.myMeetings.next(sv.myMeetings.replyByPassed, formatDate(meeting.deadlines.replyBy, now))
        : sv.myMeetings.next(sv.myMeetings.replyBy, formatDate(meeting.deadlines.replyBy, now)),
    waiting: true,
  }));
  const shown = new Set(waiting.map((w) => w.meeting.id));
  const recent = links
    .filter((l) => !shown.has(l.meetingId))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, MAX_ROWS);
  const meetings = await readMeetings(deps, recent.map((l) => l.meetingId));
  for (const link of recent) {
    const meeting = meetings.get(link.meetingId);
    if (!meeting) continue;
    const next =
      meeting.state === 'summoning'
        ? sv.myMeetings.next(sv.myMeetings.meetingDue, formatDate(meeting.deadlines.meetingDue, now))
        : meeting.state === 'fixed' && meeting.fixedTime
          ? sv.myMeetings.next(sv.myMeetings.meetingAt, formatLocalDateTime(meeting.fixedTime))
          : '';
    rows.push({
      caseReference: meeting.intake.caseReference,
      where: `${meeting.intake.municipality} · ${sv.myMeetings.role[link.role]} (${sv.party[link.party]})`,
      state: sv.myMeetings.state[meeting.state],
      next,
      waiting: false,
    });
  }
  await turn.sendCard(renderCard<MyMeetingsCardData>('my-meetings', { title: sv.myMeetings.title, none: sv.myMeetings.none, rows }));
}
