import { dateInStockholm, workingDaysBetween, type IsoDate } from '../domain/calendar';
import type { CommitmentRecord, DeviationRecord, MeetingRecord, YearData } from '../domain/indicators';
import { SUMMONABLE_PARTIES, type SummonableParty } from '../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import type { Commitment } from '../store/commitmentRepository';
import type { Deviation } from '../store/deviationRepository';
import type { Meeting } from '../store/meetingRepository';
import type { Store } from '../store/store';

/** How many partitions (one meeting's commitments) are read at once. */
const CONCURRENCY = 8;

/**
 * Reads a year's records for the follow-up: the meetings whose consent date falls in the year (in
 * one municipality, or all), their commitments, and the deviations recorded in the year.
 *
 * Cost: the Meetings table has no column for the consent date, so this is a full read of the
 * meetings (for one municipality a server-side filter on the `municipality` column), filtered here;
 * then one partition query per meeting of the year for its commitments, and one per municipality for
 * the deviations. For a yearly report run by an operator that is acceptable (a few thousand meetings
 * a year in the county).
 */
export async function loadYear(
  store: Pick<Store, 'meetings' | 'commitments' | 'deviations'>,
  year: number,
  municipality?: Municipality,
  asOf: IsoDate = dateInStockholm(new Date()),
): Promise<YearData> {
  const meetings = (await store.meetings.list(municipality)).filter((m) => m.intake.consent.date.startsWith(`${year}-`));
  meetings.sort((a, b) => a.intake.consent.date.localeCompare(b.intake.consent.date) || a.id.localeCompare(b.id));

  const commitments: Commitment[] = [];
  for (let i = 0; i < meetings.length; i += CONCURRENCY) {
    const batch = await Promise.all(meetings.slice(i, i + CONCURRENCY).map((m) => store.commitments.forMeeting(m.id)));
    commitments.push(...batch.flat());
  }

  const deviations: Deviation[] = [];
  for (const m of municipality ? [municipality] : MUNICIPALITIES) {
    deviations.push(...(await store.deviations.forMunicipality(m)).filter((d) => dateInStockholm(new Date(d.createdAt)).startsWith(`${year}-`)));
  }

  return {
    year,
    asOf,
    meetings: meetings.map(toMeetingRecord),
    commitments: commitments.map(toCommitmentRecord),
    deviations: deviations.map((d) => toDeviationRecord(d, asOf)),
  };
}

/** The day the summons went out: the first summons posted, else the day the meeting was created. */
export function summonsDateOf(meeting: Meeting): IsoDate {
  const sent = Object.values(meeting.summons)
    .map((s) => s?.sentAt)
    .filter((at): at is string => Boolean(at))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return dateInStockholm(new Date(sent[0] ?? meeting.createdAt));
}

export function toMeetingRecord(meeting: Meeting): MeetingRecord {
  const summonsDate = summonsDateOf(meeting);
  const answers: MeetingRecord['answers'] = {};
  for (const party of SUMMONABLE_PARTIES) {
    const answer = meeting.answers[party as SummonableParty];
    if (answer && meeting.intake.summoned.includes(party)) {
      answers[party] = { workingDays: Math.max(0, workingDaysBetween(summonsDate, dateInStockholm(new Date(answer.at)))) };
    }
  }
  return {
    id: meeting.id,
    municipality: meeting.intake.municipality,
    convener: meeting.intake.convener,
    summoned: meeting.intake.summoned,
    gender: meeting.intake.gender,
    age: meeting.intake.age,
    consentDate: meeting.intake.consent.date,
    summonsDate,
    meetingDate: meeting.state === 'fixed' && meeting.fixedTime ? meeting.fixedTime.slice(0, 10) : null,
    state: meeting.state,
    followsUp: Boolean(meeting.followsUp),
    answers,
  };
}

export function toCommitmentRecord(c: Commitment): CommitmentRecord {
  const done = c.status === 'done' || c.outcome === 'done';
  return {
    meetingId: c.meetingId,
    party: c.party,
    followUpDate: c.followUpDate ?? null,
    status: c.status,
    outcome: c.outcome,
    doneDate: done ? dateInStockholm(new Date(c.updatedAt)) : null,
  };
}

/**
 * Every deviation recorded counts, drafts included (a draft is a missed deadline the bot detected).
 * Analysed in time: analysed on or before its analysis due date; not analysed and the due date
 * passed: false; otherwise (no due date, or still time left) unknown.
 */
export function toDeviationRecord(d: Deviation, asOf: IsoDate): DeviationRecord {
  let analysedInTime: boolean | null = null;
  if (d.analysisDue) {
    if (d.analysis) analysedInTime = dateInStockholm(new Date(d.analysis.at)) <= d.analysisDue;
    else if (d.analysisDue < asOf) analysedInTime = false;
  }
  return { municipality: d.municipality, meetingId: d.meetingId, kind: d.kind, party: d.party ?? null, analysedInTime };
}
