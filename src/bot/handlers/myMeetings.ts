import { renderCard } from '../../cards/render';
import { formatDate, formatLocalDateTime } from '../../texts/format';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

export interface MyMeetingsCardData {
  title: string;
  none: string;
  rows: { caseReference: string; where: string; state: string; next: string }[];
}

/** `norrbus mina möten`: the meetings this person convened or answered, newest first. */
export async function listMyMeetings(turn: Turn, deps: BotDeps): Promise<void> {
  // The list spans organisations' cases: it is shown only to the person, never in a shared channel.
  if (turn.place.conversationType !== 'personal') {
    await turn.send(sv.onlyPersonal);
    return;
  }
  const links = (await deps.store.userMeetings.forUser(turn.actor.id)).sort((a, b) => b.at.localeCompare(a.at));
  const rows: MyMeetingsCardData['rows'] = [];
  for (const link of links.slice(0, 20)) {
    const meeting = (await deps.store.meetings.get(link.meetingId))?.value;
    if (!meeting) continue;
    const next =
      meeting.state === 'summoning'
        ? sv.myMeetings.next(sv.myMeetings.meetingDue, formatDate(meeting.deadlines.meetingDue, deps.clock()))
        : meeting.state === 'fixed' && meeting.fixedTime
          ? sv.myMeetings.next(sv.myMeetings.meetingAt, formatLocalDateTime(meeting.fixedTime))
          : '';
    rows.push({
      caseReference: meeting.intake.caseReference,
      where: `${meeting.intake.municipality} · ${sv.myMeetings.role[link.role]} (${sv.party[link.party]})`,
      state: sv.myMeetings.state[meeting.state],
      next,
    });
  }
  await turn.sendCard(renderCard<MyMeetingsCardData>('my-meetings', { title: sv.myMeetings.title, none: sv.myMeetings.none, rows }));
}
