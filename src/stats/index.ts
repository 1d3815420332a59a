/** The yearly follow-up report: reading a year from the store, and rendering it. */
export { loadYear, summonsDateOf, toCommitmentRecord, toDeviationRecord, toMeetingRecord } from './load';
export { groupLabel, indicatorLabel, shownReport, toCsv, toHtml, toJson, type ShownReport } from './render';
