import { dateInStockholm, workingDaysBetween, type IsoDate } from '../domain/calendar';
import {
  ageBandOf,
  deviationRecordOf,
  type CaseDeviationRecord,
  type CaseStatistics,
  type CommitmentRecord,
  type DeviationRecord,
  type MeetingRecord,
} from '../domain/indicators';
import { SUMMONABLE_PARTIES, type SummonableParty } from '../domain/meeting';
import type { Commitment } from '../store/commitmentRepository';
import type { Deviation } from '../store/deviationRepository';
import type { Meeting } from '../store/meetingRepository';

/**
 * From the stored entities to the follow-up's records (`src/domain/indicators.ts`): what the yearly
 * report reads from live meetings, and what a case leaves behind when its details are erased. Pure.
 */

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
      answers[party] = { kind: answer.kind, workingDays: Math.max(0, workingDaysBetween(summonsDate, dateInStockholm(new Date(answer.at)))) };
    }
  }
  return {
    id: meeting.id,
    municipality: meeting.intake.municipality,
    convener: meeting.intake.convener,
    summoned: [...meeting.intake.summoned],
    gender: meeting.intake.gender,
    ageBand: ageBandOf(meeting.intake.age),
    consentDate: meeting.intake.consent.date,
    summonsDate,
    meetingDate: meeting.state === 'fixed' && meeting.fixedTime ? meeting.fixedTime.slice(0, 10) : null,
    state: meeting.state,
    followsUp: Boolean(meeting.followsUp),
    answers,
    ...(meeting.held
      ? { participation: { parties: [...meeting.held.parties], youngPerson: meeting.held.youngPerson, guardians: [...meeting.held.guardians], viewRecorded: meeting.held.viewRecorded } }
      : {}),
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

/** A deviation as its case's statistics keep it: the year it was recorded in, kind, party and the analysis dates. */
export function toCaseDeviationRecord(d: Deviation): CaseDeviationRecord {
  return {
    year: Number(dateInStockholm(new Date(d.createdAt)).slice(0, 4)),
    municipality: d.municipality,
    ...(d.meetingId ? { meetingId: d.meetingId } : {}),
    kind: d.kind,
    party: d.party ?? null,
    analysisDue: d.analysisDue ?? null,
    analysedOn: d.analysis ? dateInStockholm(new Date(d.analysis.at)) : null,
  };
}

/**
 * Every deviation recorded counts, drafts included (a draft is a missed deadline the bot detected).
 * Analysed in time: see `deviationRecordOf` (the same rule for live and for erased deviations).
 */
export function toDeviationRecord(d: Deviation, asOf: IsoDate): DeviationRecord {
  return deviationRecordOf(toCaseDeviationRecord(d), asOf);
}

/**
 * What one case leaves for the yearly follow-up when its details are erased, computed from its live
 * entities: the meeting, all its commitments (withdrawn ones too) and the deviations linked to it
 * (`meetingId`). Nothing in it depends on the day it is computed: a year's indicators from
 * it, on any report date, equal those from the untouched entities.
 *
 * A deviation reported on the form without a link (it may carry the case reference) is not the
 * case's here: the follow-up counts it only for its municipality, and it stays counted while its row
 * does. Erasure should empty its details (texts, case reference) rather than delete it, or the
 * year's deviation counts drop by one.
 *
 * Throws a RangeError when given a commitment of another meeting, or a deviation not linked to it
 * or in another municipality (the kept record is stored under the meeting's municipality, and a
 * deviation counts in its own).
 */
export function caseStatisticsOf(meeting: Meeting, commitments: readonly Commitment[], deviations: readonly Deviation[]): CaseStatistics {
  for (const c of commitments) {
    if (c.meetingId !== meeting.id) throw new RangeError(`commitment ${c.id} is not of meeting ${meeting.id}`);
  }
  for (const d of deviations) {
    if (d.meetingId !== meeting.id || d.municipality !== meeting.intake.municipality) throw new RangeError(`deviation ${d.id} is not about meeting ${meeting.id}`);
  }
  return {
    meeting: toMeetingRecord(meeting),
    commitments: commitments.map(toCommitmentRecord),
    deviations: deviations.map(toCaseDeviationRecord),
  };
}
