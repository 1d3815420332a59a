/** The yearly follow-up report: reading a year from the store, and rendering it. */
export { loadYear } from './load';
export { caseStatisticsOf, summonsDateOf, toCaseDeviationRecord, toCommitmentRecord, toDeviationRecord, toMeetingRecord } from './record';
export { groupLabel, indicatorLabel, shownReport, toCsv, toHtml, toJson, type ShownReport } from './render';
export { lansdelScope, withLansdelar, type CountyReport } from './lansdel';
