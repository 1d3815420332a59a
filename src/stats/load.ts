import { dateInStockholm, type IsoDate } from '../domain/calendar';
import { deviationRecordOf, type CommitmentRecord, type DeviationRecord, type MeetingRecord, type YearData } from '../domain/indicators';
import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import type { Commitment } from '../store/commitmentRepository';
import type { Deviation } from '../store/deviationRepository';
import type { Store } from '../store/store';
import { toCommitmentRecord, toDeviationRecord, toMeetingRecord } from './record';

/** How many partitions (one meeting's commitments) are read at once. */
const CONCURRENCY = 8;

/**
 * Reads a year's records for the follow-up: the meetings whose consent date falls in the year (in
 * one municipality, or all), their commitments, and the deviations recorded in the year — from the
 * live entities, and from what erased cases left (`store.statistics`).
 *
 * Each case counts from one source: from its kept record as soon as there is one (the case is
 * being erased, or was: its details may be partly deleted already), and then the live meeting,
 * commitments and deviations linked to it are ignored; else from the live entities. So an erasure
 * that keeps the record first and then deletes the details in any order never changes a year's
 * figures, at any step, even when it stops half-way.
 *
 * Cost: the Meetings table has no column for the consent date, so this is a full read of the
 * meetings (for one municipality a server-side filter on the `municipality` column), filtered here;
 * then one partition query per meeting of the year for its commitments, one per municipality for
 * the deviations and one per municipality for the kept statistics. For a yearly report run by an
 * operator that is acceptable (a few thousand meetings a year in the county).
 */
export async function loadYear(
  store: Pick<Store, 'meetings' | 'commitments' | 'deviations' | 'statistics'>,
  year: number,
  municipality?: Municipality,
  asOf: IsoDate = dateInStockholm(new Date()),
): Promise<YearData> {
  const kept = await store.statistics.forYear(year, municipality);
  const erased = new Set(kept.map((c) => c.meetingId));
  const meetings = (await store.meetings.list(municipality)).filter((m) => m.intake.consent.date.startsWith(`${year}-`) && !erased.has(m.id));

  const commitments: Commitment[] = [];
  for (let i = 0; i < meetings.length; i += CONCURRENCY) {
    const batch = await Promise.all(meetings.slice(i, i + CONCURRENCY).map((m) => store.commitments.forMeeting(m.id)));
    commitments.push(...batch.flat());
  }

  const deviations: Deviation[] = [];
  for (const m of municipality ? [municipality] : MUNICIPALITIES) {
    deviations.push(
      ...(await store.deviations.forMunicipality(m)).filter(
        (d) => dateInStockholm(new Date(d.createdAt)).startsWith(`${year}-`) && !(d.meetingId && erased.has(d.meetingId)),
      ),
    );
  }

  const meetingRecords: MeetingRecord[] = [...meetings.map(toMeetingRecord), ...kept.flatMap((c) => (c.meeting ? [c.meeting] : []))];
  meetingRecords.sort((a, b) => a.consentDate.localeCompare(b.consentDate) || a.id.localeCompare(b.id));
  const commitmentRecords: CommitmentRecord[] = [...commitments.map(toCommitmentRecord), ...kept.flatMap((c) => c.commitments)];
  const deviationRecords: DeviationRecord[] = [
    ...deviations.map((d) => toDeviationRecord(d, asOf)),
    ...kept.flatMap((c) => c.deviations.filter((d) => !municipality || d.municipality === municipality).map((d) => deviationRecordOf(d, asOf))),
  ];

  return { year, asOf, meetings: meetingRecords, commitments: commitmentRecords, deviations: deviationRecords };
}
