import type { County, Lansdel } from '../domain/county';
import { computeYear, COUNTY, type ScopeIndicators, type YearData, type YearIndicators } from '../domain/indicators';

/** A report whose scopes may also be länsdelar (named as people say them: "Södra länsdelen"). */
export interface CountyReport extends Omit<YearIndicators, 'scopes'> {
  scopes: (Omit<ScopeIndicators, 'scope'> & { scope: string })[];
}

/**
 * The indicators of one länsdel: the county computation over the records of its municipalities
 * only (the same figures, the same suppression when rendered), named by the länsdel.
 */
export function lansdelScope(data: YearData, lansdel: Lansdel): CountyReport['scopes'][number] {
  const mine = (m: string) => (lansdel.municipalities as readonly string[]).includes(m);
  const meetings = data.meetings.filter((m) => mine(m.municipality));
  const ids = new Set(meetings.map((m) => m.id));
  const filtered: YearData = { ...data, meetings, commitments: data.commitments.filter((c) => ids.has(c.meetingId)), deviations: data.deviations.filter((d) => mine(d.municipality)) };
  const [scope] = computeYear(filtered, { municipalities: [], county: true }).scopes;
  return { ...scope, scope: lansdel.name };
}

/**
 * The report with the länsdelar added after the county: county, länsdelar, municipalities (for
 * one länsdel: it, then its municipalities).
 */
export function withLansdelar(data: YearData, report: YearIndicators, county: County, only?: readonly Lansdel[]): CountyReport {
  const lansdelar = (only ?? county.lansdelar).map((l) => lansdelScope(data, l));
  const countyScope = report.scopes.filter((s) => s.scope === COUNTY);
  const municipalities = report.scopes.filter((s) => s.scope !== COUNTY);
  return { ...report, scopes: [...countyScope, ...lansdelar, ...municipalities] };
}
