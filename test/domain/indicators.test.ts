import { describe, expect, it } from 'vitest';
import {
  ANSWER_KINDS,
  computeYear,
  GROUPS,
  suppress,
  type AgeBand,
  type CommitmentRecord,
  type DeviationRecord,
  type Figures,
  type GroupKey,
  type Metric,
  type MeetingRecord,
  type YearData,
} from '../../src/domain/indicators';
import { GENDERS, SUMMONABLE_PARTIES, type ConveningParty, type SummonableParty } from '../../src/domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../src/domain/municipality';
import { toCsv, toJson } from '../../src/stats/render';

// ---------------------------------------------------------------------------------------------
// An independent calendar: Swedish days off 2025–Feb 2026 written out by hand (public holidays on
// weekdays, and Midsommarafton, Julafton, Nyårsafton), and plain UTC day arithmetic.
const DAYS_OFF = new Set([
  '2025-01-01', '2025-01-06', '2025-04-18', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-06', '2025-06-20',
  '2025-12-24', '2025-12-25', '2025-12-26', '2025-12-31', '2026-01-01', '2026-01-06',
]);

function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function workdays(from: string, to: string): number {
  let n = 0;
  for (let d = plusDays(from, 1); d <= to; d = plusDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !DAYS_OFF.has(d)) n++;
  }
  return n;
}

function middle(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ---------------------------------------------------------------------------------------------
// A generated year: a fixed-seed pseudo-random generator (mulberry32), ~300 meetings.
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  return { next, int, pick };
}

const ASOF = '2025-12-15';
const CORE: ConveningParty[] = ['skola', 'socialtjanst', 'primarvard'];
/** Luleå and Piteå get many meetings, Arjeplog and Pajala only a few (suppressed). */
const WEIGHTS: Partial<Record<Municipality, number>> = { Luleå: 12, Piteå: 8, Boden: 6, Kiruna: 5, Arjeplog: 0, Pajala: 0 };

function generateYear(): YearData {
  const r = generator(20250101);
  const places = MUNICIPALITIES.flatMap((m) => Array<Municipality>(WEIGHTS[m] ?? 2).fill(m));
  const meetings: MeetingRecord[] = [];
  const commitments: CommitmentRecord[] = [];
  const deviations: DeviationRecord[] = [];
  const make = (i: number, municipality: Municipality, consentDate: string): MeetingRecord => {
    const convener = r.pick(CORE);
    const others = (SUMMONABLE_PARTIES as readonly SummonableParty[]).filter((p) => p !== convener);
    let summoned = others.filter((p) => (p === 'specialistvard' ? r.next() < 0.2 : r.next() < 0.8));
    if (summoned.length === 0) summoned = [others[0]];
    const summonsDate = plusDays(consentDate, r.int(0, 12));
    const roll = r.next();
    const state = roll < 0.7 ? 'fixed' : roll < 0.8 ? 'cancelled' : 'summoning';
    const answers: MeetingRecord['answers'] = {};
    for (const p of summoned) {
      if (r.next() < 0.85) {
        const workingDays = r.int(0, 8);
        answers[p] = { kind: ANSWER_KINDS[workingDays % 3], workingDays };
      }
    }
    return {
      id: `m${String(i).padStart(16, '0')}`,
      municipality,
      convener,
      summoned,
      gender: r.pick(GENDERS),
      ageBand: band(r.int(0, 20)),
      consentDate,
      summonsDate,
      meetingDate: state === 'fixed' ? plusDays(summonsDate, r.int(0, 25)) : null,
      state,
      followsUp: r.next() < 0.15,
      answers,
    };
  };
  for (let i = 0; i < 300; i++) meetings.push(make(i, r.pick(places), plusDays('2025-01-01', r.int(0, 338))));
  // Around Easter: consent before, summons after.
  for (let i = 300; i < 306; i++) meetings.push({ ...make(i, 'Luleå', '2025-04-16'), summonsDate: '2025-04-22' });
  // Three meetings in Arjeplog (suppressed), one in Pajala.
  for (let i = 306; i < 310; i++) meetings.push(make(i, i < 309 ? 'Arjeplog' : 'Pajala', plusDays('2025-02-01', r.int(0, 200))));
  // Consent in other years: not in the report.
  meetings.push(make(310, 'Luleå', '2024-12-20'), make(311, 'Luleå', '2026-01-08'));

  // "Mötet hölls" recorded for most fixed meetings, from a generator of its own (the rest of the year stays as it was).
  const p = generator(20251212);
  for (const m of meetings) {
    if (m.state !== 'fixed' || p.next() < 0.25) continue;
    const involved = [m.convener, ...m.summoned];
    m.participation = {
      parties: involved.filter(() => p.next() < 0.85),
      youngPerson: p.next() < 0.7,
      guardians: m.ageBand === '19–20' ? [] : Array.from({ length: p.int(0, 2) }, () => p.next() < 0.6),
      viewRecorded: p.next() < 0.8,
    };
  }
  for (const m of meetings) {
    if (m.state !== 'fixed') continue;
    for (let k = r.int(0, 3); k > 0; k--) {
      const followUpDate = r.next() < 0.1 ? null : plusDays(m.meetingDate!, r.int(20, 80));
      const status = r.pick(['planned', 'started', 'done', 'done', 'withdrawn'] as const);
      const doneDate = status === 'done' ? plusDays(followUpDate ?? m.meetingDate!, r.int(-15, 6)) : null;
      commitments.push({ meetingId: m.id, party: r.pick(SUMMONABLE_PARTIES), followUpDate, status, doneDate });
    }
  }
  for (let i = 0; i < 60; i++) {
    const linked = r.next() < 0.7 ? r.pick(meetings) : undefined;
    deviations.push({
      municipality: linked?.municipality ?? r.pick(places),
      meetingId: linked?.id,
      kind: r.pick(['summonsNotAnswered', 'meetingNotInTime', 'commitmentNotDone', 'summonsNotSent', 'other', 'invented']),
      party: r.next() < 0.8 ? r.pick(SUMMONABLE_PARTIES) : null,
      analysedInTime: r.pick([true, true, false, null]),
    });
  }
  return { year: 2025, asOf: ASOF, meetings, commitments, deviations };
}

// ---------------------------------------------------------------------------------------------
// The expected figures, by counting loops over the records.
function band(age: number): AgeBand {
  return age <= 5 ? '0–5' : age <= 12 ? '6–12' : age <= 15 ? '13–15' : age <= 18 ? '16–18' : '19–20';
}

function belongs(m: MeetingRecord, group: GroupKey): boolean {
  if (group === 'alla') return true;
  const [dimension, value] = group.split(':');
  return dimension === 'kön' ? m.gender === value : m.ageBand === value;
}

function expected(data: YearData, scope: string, group: GroupKey): Record<string, unknown> {
  const ms: MeetingRecord[] = [];
  for (const m of data.meetings) {
    if (m.consentDate < '2025-01-01' || m.consentDate > '2025-12-31') continue;
    if (scope !== 'Norrbotten' && m.municipality !== scope) continue;
    if (belongs(m, group)) ms.push(m);
  }
  const e: Record<string, unknown> = {};
  let held = 0, planned = 0, cancelled = 0, followUpHeld = 0, complete = 0;
  const byConvener: Record<string, number> = { skola: 0, socialtjanst: 0, primarvard: 0, specialistvard: 0 };
  let recorded = 0, allParties = 0, young = 0, withGuardians = 0, guardianTook = 0, view = 0;
  const toSummons: number[] = [];
  const toMeeting: number[] = [];
  for (const m of ms) {
    const isHeld = m.state === 'fixed' && m.meetingDate! <= ASOF;
    if (isHeld) held++;
    if (m.state === 'fixed' && !isHeld) planned++;
    if (m.state === 'cancelled') cancelled++;
    if (m.followsUp && isHeld) followUpHeld++;
    byConvener[m.convener]++;
    if (m.participation && m.state !== 'cancelled') {
      recorded++;
      if ([m.convener, ...m.summoned].every((q) => m.participation!.parties.includes(q))) allParties++;
      if (m.participation.youngPerson) young++;
      if (m.participation.guardians.length > 0) {
        withGuardians++;
        if (m.participation.guardians.includes(true)) guardianTook++;
      }
      if (m.participation.viewRecorded) view++;
    }
    const involved = [m.convener, ...m.summoned];
    if (involved.includes('skola') && involved.includes('socialtjanst') && involved.includes('primarvard')) complete++;
    toSummons.push(workdays(m.consentDate, m.summonsDate));
    if (m.meetingDate) toMeeting.push(workdays(m.summonsDate, m.meetingDate));
  }
  const within = (xs: number[], limit: number) => ({ kind: 'share', numerator: xs.filter((x) => x <= limit).length, denominator: xs.length });
  e['meetings.initiated'] = { kind: 'count', value: ms.length };
  e['meetings.held'] = { kind: 'count', value: held };
  e['meetings.planned'] = { kind: 'count', value: planned };
  e['meetings.cancelled'] = { kind: 'count', value: cancelled };
  for (const p of SUMMONABLE_PARTIES) e[`meetings.byConvener.${p}`] = { kind: 'count', value: byConvener[p] };
  e['meetings.followUpHeld'] = { kind: 'count', value: followUpHeld };
  e['participation.recorded'] = { kind: 'count', value: recorded };
  e['participation.allParties'] = { kind: 'share', numerator: allParties, denominator: recorded };
  e['participation.youngPerson'] = { kind: 'share', numerator: young, denominator: recorded };
  e['participation.guardian'] = { kind: 'share', numerator: guardianTook, denominator: withGuardians };
  e['participation.viewRecorded'] = { kind: 'share', numerator: view, denominator: recorded };
  e['meetings.allThreeParties'] = { kind: 'share', numerator: complete, denominator: ms.length };
  e['consentToSummons.median'] = { kind: 'median', value: middle(toSummons), n: toSummons.length };
  e['consentToSummons.within5'] = within(toSummons, 5);
  e['consentToSummons.within10'] = within(toSummons, 10);
  e['summonsToMeeting.median'] = { kind: 'median', value: middle(toMeeting), n: toMeeting.length };
  e['summonsToMeeting.within5'] = within(toMeeting, 5);
  e['summonsToMeeting.within10'] = within(toMeeting, 10);
  for (const p of SUMMONABLE_PARTIES) {
    let summoned = 0;
    const days: number[] = [];
    for (const m of ms) {
      if (!m.summoned.includes(p)) continue;
      summoned++;
      if (m.answers[p]) days.push(m.answers[p]!.workingDays);
    }
    e[`answers.${p}.summoned`] = { kind: 'count', value: summoned };
    e[`answers.${p}.rate`] = { kind: 'share', numerator: days.length, denominator: summoned };
    e[`answers.${p}.medianDays`] = { kind: 'median', value: middle(days), n: days.length };
  }
  const ids = new Set(ms.map((m) => m.id));
  const tally = (party: string | null) => {
    let total = 0, due = 0, onTime = 0;
    for (const c of data.commitments) {
      if (!ids.has(c.meetingId) || c.status === 'withdrawn' || (party && c.party !== party)) continue;
      total++;
      if (c.followUpDate && c.followUpDate <= ASOF) {
        due++;
        if (c.doneDate && c.doneDate <= c.followUpDate) onTime++;
      }
    }
    return { total, share: { kind: 'share', numerator: onTime, denominator: due } };
  };
  e['commitments.total'] = { kind: 'count', value: tally(null).total };
  e['commitments.doneOnTime'] = tally(null).share;
  for (const p of SUMMONABLE_PARTIES) {
    e[`commitments.${p}.count`] = { kind: 'count', value: tally(p).total };
    e[`commitments.${p}.doneOnTime`] = tally(p).share;
  }
  const byId = new Map(data.meetings.filter((m) => m.consentDate.startsWith('2025')).map((m) => [m.id, m]));
  const ds = data.deviations.filter((d) => {
    if (scope !== 'Norrbotten' && d.municipality !== scope) return false;
    if (group === 'alla') return true;
    const m = d.meetingId ? byId.get(d.meetingId) : undefined;
    return m !== undefined && belongs(m, group);
  });
  e['deviations.total'] = { kind: 'count', value: ds.length };
  for (const k of ['summonsNotAnswered', 'didNotTakePart', 'meetingNotInTime', 'commitmentNotDone', 'followUpNotConvened', 'summonsNotSent', 'healthExaminationNotDone', 'costSharingNotSettled', 'other']) {
    e[`deviations.kind.${k}`] = { kind: 'count', value: ds.filter((d) => d.kind === k).length };
  }
  const unknown = ds.filter((d) => d.kind === 'invented').length;
  if (unknown > 0) e['deviations.kind.invented'] = { kind: 'count', value: unknown };
  for (const p of SUMMONABLE_PARTIES) e[`deviations.party.${p}`] = { kind: 'count', value: ds.filter((d) => d.party === p).length };
  let known = 0, inTime = 0;
  for (const d of ds) {
    if (d.analysedInTime === null) continue;
    known++;
    if (d.analysedInTime) inTime++;
  }
  e['deviations.analysedInTime'] = { kind: 'share', numerator: inTime, denominator: known };
  return e;
}

// ---------------------------------------------------------------------------------------------

describe('follow-up indicators of a generated year', () => {
  const data = generateYear();
  const report = computeYear(data, { municipalities: [...MUNICIPALITIES], county: true });

  it('covers the county first, then the 14 municipalities, each with all, 4 genders and 5 age bands', () => {
    expect(report.scopes.map((s) => s.scope)).toEqual(['Norrbotten', ...MUNICIPALITIES]);
    expect(GROUPS).toHaveLength(10);
    for (const s of report.scopes) expect(Object.keys(s.groups)).toEqual([...GROUPS]);
  });

  it('counts only meetings whose consent date falls in the year', () => {
    expect(data.meetings).toHaveLength(312);
    expect(report.scopes[0].groups.alla['meetings.initiated']).toEqual({ kind: 'count', value: 310 });
  });

  it('agrees with the figures counted independently, for every municipality and group', () => {
    for (const s of report.scopes) {
      for (const g of GROUPS) {
        expect({ scope: s.scope, group: g, figures: s.groups[g] }).toEqual({ scope: s.scope, group: g, figures: expected(data, s.scope, g) });
      }
    }
  });

  it('breakdowns add up to the whole: genders and age bands each sum to all meetings', () => {
    for (const s of report.scopes) {
      const all = (s.groups.alla['meetings.initiated'] as { value: number }).value;
      const sum = (prefix: string) => GROUPS.filter((g) => g.startsWith(prefix)).reduce((n, g) => n + (s.groups[g]['meetings.initiated'] as { value: number }).value, 0);
      expect(sum('kön:')).toBe(all);
      expect(sum('ålder:')).toBe(all);
    }
  });

  it('counts working days across Easter in the medians (consent Wednesday before, summons Tuesday after: 2 days)', () => {
    const easter = computeYear(
      { ...data, meetings: data.meetings.filter((m) => m.consentDate === '2025-04-16' && m.summonsDate === '2025-04-22') },
      { municipalities: ['Luleå'], county: false },
    ).scopes[0].groups.alla;
    expect(easter['meetings.initiated']).toEqual({ kind: 'count', value: 6 });
    expect(easter['consentToSummons.median']).toEqual({ kind: 'median', value: 2, n: 6 });
    expect(easter['consentToSummons.within5']).toEqual({ kind: 'share', numerator: 6, denominator: 6 });
  });

  it('takes the middle of an even number of values, across Easter, Kristi himmelsfärd and Midsommar', () => {
    const base = data.meetings[0];
    const meetings: MeetingRecord[] = [
      ['2025-04-14', '2025-04-24', '2025-05-12'], // 6 working days (not 18, 21 April); 11 to the meeting (not 1 May)
      ['2025-04-17', '2025-04-23', '2025-04-30'], // 2; 5
      ['2025-05-28', '2025-06-02', '2025-06-09'], // 2 (not 29 May); 4 (not 6 June)
      ['2025-06-18', '2025-06-23', '2025-07-07'], // 2 (not Midsommarafton); 10
      ['2025-12-22', '2026-01-02', '2026-01-12'], // 4 (23, 29, 30 Dec, 2 Jan); 5 (not 6 Jan)
      ['2025-03-03', '2025-03-10', '2025-03-24'], // 5; 10
    ].map(([consentDate, summonsDate, meetingDate], i) => ({ ...base, id: `x${i}`, consentDate, summonsDate, meetingDate, state: 'fixed', municipality: 'Boden' }));
    for (const m of meetings) expect(workdays(m.consentDate, m.summonsDate)).toBeGreaterThanOrEqual(0);
    const f = computeYear({ ...data, meetings, commitments: [], deviations: [] }, { municipalities: ['Boden'], county: false }).scopes[0].groups.alla;
    expect(f['consentToSummons.median']).toEqual({ kind: 'median', value: 3, n: 6 }); // 2 2 2 4 5 6
    expect(f['consentToSummons.within5']).toEqual({ kind: 'share', numerator: 5, denominator: 6 });
    expect(f['summonsToMeeting.median']).toEqual({ kind: 'median', value: 7.5, n: 6 }); // 4 5 5 10 10 11
    expect(f['summonsToMeeting.within10']).toEqual({ kind: 'share', numerator: 5, denominator: 6 });
    expect(suppress(f['summonsToMeeting.median'])).toBe(7.5);
  });
});

describe('small-count suppression', () => {
  const count = (value: number): Metric => ({ kind: 'count', value });

  it('shows 0 as 0, 1–4 as "<5" and 5 or more as they are', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 120].map((n) => suppress(count(n)))).toEqual([0, '<5', '<5', '<5', '<5', 5, 6, 120]);
  });

  it('shows a share or median only when computed from at least 5, "<5" from 1–4, null from none', () => {
    expect(suppress({ kind: 'share', numerator: 0, denominator: 0 })).toBeNull();
    expect(suppress({ kind: 'share', numerator: 4, denominator: 4 })).toBe('<5');
    expect(suppress({ kind: 'share', numerator: 4, denominator: 5 })).toBe(0.8);
    expect(suppress({ kind: 'share', numerator: 2, denominator: 3 * 7 })).toBe(0.095);
    expect(suppress({ kind: 'median', value: null, n: 0 })).toBeNull();
    expect(suppress({ kind: 'median', value: 3, n: 4 })).toBe('<5');
    expect(suppress({ kind: 'median', value: 3.5, n: 5 })).toBe(3.5);
  });

  const data = generateYear();
  const report = computeYear(data, { municipalities: [...MUNICIPALITIES], county: true });

  it('hides a municipality with three meetings (Arjeplog) and one with one (Pajala) in every output', () => {
    const json = JSON.parse(toJson(report)) as { scopes: { scope: string; groups: Record<string, Record<string, unknown>> }[] };
    const arjeplog = json.scopes.find((s) => s.scope === 'Arjeplog')!.groups.alla;
    expect(arjeplog['meetings.initiated']).toBe('<5');
    expect(arjeplog['consentToSummons.median']).toBe('<5');
    expect(arjeplog['meetings.allThreeParties']).toBe('<5');
    expect(json.scopes.find((s) => s.scope === 'Pajala')!.groups.alla['meetings.initiated']).toBe('<5');
    const csv = toCsv(report).split('\r\n');
    expect(csv[0]).toBe('kommun,grupp,indikator,beskrivning,värde');
    expect(csv).toContain('Arjeplog,alla,meetings.initiated,Initierade möten,<5');
    expect(csv).toContain('Norrbotten,alla,meetings.initiated,Initierade möten,310');
  });

  it('never lets a count of 1–4, or a share or median from fewer than 5, out in JSON or CSV', () => {
    const json = JSON.parse(toJson(report)) as { scopes: { scope: string; groups: Record<string, Record<string, unknown>> }[] };
    let checked = 0;
    for (const s of report.scopes) {
      for (const g of GROUPS) {
        const shown = json.scopes.find((x) => x.scope === s.scope)!.groups[g];
        for (const [id, metric] of Object.entries(s.groups[g] as Figures)) {
          const n = metric.kind === 'count' ? metric.value : metric.kind === 'share' ? metric.denominator : metric.n;
          if (n >= 1 && n <= 4) {
            expect(shown[id], `${s.scope} ${g} ${id}`).toBe('<5');
            checked++;
          } else if (metric.kind === 'count') {
            expect(shown[id]).toBe(metric.value);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    const figures = new Map<string, Metric>(report.scopes.flatMap((sc) => GROUPS.flatMap((g) => Object.entries(sc.groups[g]).map(([id, m]) => [`${sc.scope},${g},${id}`, m] as [string, Metric]))));
    const lines = toCsv(report).trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(figures.size);
    for (const line of lines) {
      const [scope, group, id] = line.split(',');
      const metric = figures.get(`${scope},${group},${id}`)!;
      const n = metric.kind === 'count' ? metric.value : metric.kind === 'share' ? metric.denominator : metric.n;
      const value = line.slice(line.lastIndexOf(',') + 1);
      if (n >= 1 && n <= 4) expect(value, line).toBe('<5');
      if (metric.kind === 'count') expect(['1', '2', '3', '4']).not.toContain(value);
    }
  });

  it('reports a single municipality without the county', () => {
    const one = computeYear(data, { municipalities: ['Luleå'], county: false });
    expect(one.scopes.map((s) => s.scope)).toEqual(['Luleå']);
    expect(one.scopes[0].groups).toEqual(report.scopes.find((s) => s.scope === 'Luleå')!.groups);
  });
});

