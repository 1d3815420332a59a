import { TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { computeYear, type YearIndicators } from '../../src/domain/indicators';
import { MUNICIPALITIES, type Municipality } from '../../src/domain/municipality';
import { caseStatisticsOf, loadYear } from '../../src/stats';
import type { Commitment } from '../../src/store/commitmentRepository';
import type { Deviation } from '../../src/store/deviationRepository';
import type { Meeting } from '../../src/store/meetingRepository';
import { statisticsRowOf } from '../../src/store/statisticsRepository';
import { openStore, type Store } from '../../src/store/store';
import { openTestStore, testTablePrefix } from '../support/store';
import { meetingId, seedCountyYear, storedCommitment, storedDeviation, storedMeeting } from './seed';

const ASOF = '2026-03-31';
const ERASED_AT = '2026-02-01T03:00:00.000Z';

/** What erasure keeps, as it does it: the case's statistics, before anything is deleted. */
async function keepStatistics(store: Store, meeting: Meeting): Promise<{ commitments: Commitment[]; deviations: Deviation[] }> {
  const commitments = await store.commitments.forMeeting(meeting.id);
  const deviations = (await store.deviations.forMunicipality(meeting.intake.municipality)).filter((d) => d.meetingId === meeting.id);
  await store.statistics.keep(statisticsRowOf(caseStatisticsOf(meeting, commitments, deviations), ERASED_AT));
  return { commitments, deviations };
}

async function deleteDetails(store: Store, details: { commitments: Commitment[]; deviations: Deviation[] }): Promise<void> {
  await Promise.all(details.commitments.map((c) => store.commitments.remove(c.meetingId, c.id)));
  await Promise.all(details.deviations.map((d) => store.deviations.remove(d.municipality, d.id)));
}

const YEARS = [2024, 2025, 2026];
const SINGLE: Municipality[] = ['Luleå', 'Arjeplog', 'Kiruna'];

/** The indicators of every year, for the county (with every municipality) and for some municipalities alone. */
async function figures(store: Store): Promise<Record<string, YearIndicators>> {
  const out: Record<string, YearIndicators> = {};
  for (const year of YEARS) {
    out[`${year}`] = computeYear(await loadYear(store, year, undefined, ASOF), { municipalities: [...MUNICIPALITIES], county: true });
    for (const m of SINGLE) out[`${year} ${m}`] = computeYear(await loadYear(store, year, m, ASOF), { municipalities: [m], county: false });
  }
  return out;
}

describe('a year’s figures before and after erasing the details of its cases', () => {
  let store: Store;
  let live: Record<string, YearIndicators>;
  let meetings: Meeting[];
  const lulea = (i: number) => meetings.filter((m) => m.intake.municipality === 'Luleå')[i];

  beforeAll(async () => {
    store = await openTestStore();
    const seeded = await seedCountyYear(store, 120);
    meetings = [...seeded.meetings];
    // A meeting consented in 2024, whose deviation and commitments fall in 2025.
    const old = storedMeeting({ n: 500, municipality: 'Luleå', convener: 'socialtjanst', summoned: ['skola', 'primarvard'], consentDate: '2024-12-16', summonsDate: '2024-12-18', answered: { skola: '2024-12-19' }, fixedDate: '2025-01-08', age: 16, gender: 'pojke' });
    await store.meetings.create(old);
    meetings.push(old);
    await store.commitments.create(storedCommitment(old.id, 900, 'skola', '2025-02-03', 'done', '2025-01-30'));
    await store.commitments.create({ ...storedCommitment(old.id, 901, 'primarvard', '2025-02-03', 'started', '2025-02-10'), outcome: 'notDone', outcomeReason: 'Väntar på remiss' });
    await store.commitments.create(storedCommitment(old.id, 902, 'skola', '2025-03-03', 'withdrawn', '2025-02-01'));
    // Deviations with analysis dates: analysed in time, too late, never (due before and after the report date).
    const lulea = seeded.meetings.filter((m) => m.intake.municipality === 'Luleå');
    const extra: Deviation[] = [
      { ...storedDeviation('Luleå', 200, 'commitmentNotDone', 'primarvard', '2025-02-05', old.id), analysisDue: '2025-03-01', analysis: { cause: 'Orsak', measures: 'Åtgärd', at: '2025-02-20T10:00:00Z', by: { id: 'u-2' } } },
      { ...storedDeviation('Luleå', 201, 'meetingNotInTime', 'skola', '2025-06-02', lulea[0].id), analysisDue: '2025-06-30', analysis: { cause: 'Orsak', measures: 'Åtgärd', at: '2025-07-02T10:00:00Z', by: { id: 'u-2' } } },
      { ...storedDeviation('Luleå', 202, 'summonsNotAnswered', 'socialtjanst', '2025-09-01', lulea[1].id), analysisDue: '2025-10-01' },
      // Due after the erasure, before the report date: not analysed in time by the report, as it would be live.
      { ...storedDeviation('Luleå', 203, 'summonsNotAnswered', 'socialtjanst', '2025-12-10', lulea[2].id), analysisDue: '2026-03-01' },
      // Recorded on New Year's Eve at 23:30 UTC: 2026 in Stockholm.
      { ...storedDeviation('Luleå', 204, 'followUpNotConvened', 'skola', '2025-12-31', lulea[3].id), createdAt: '2025-12-31T23:30:00.000Z' },
      // Reported on the form: no link, the case reference only (not erased with the case: it stays counted).
      { ...storedDeviation('Luleå', 205, 'didNotTakePart', 'primarvard', '2025-05-05'), caseReference: lulea[4].intake.caseReference, whatHappened: 'Kom inte' },
      // About routines in general: never erased with a case.
      storedDeviation('Luleå', 206, 'other', undefined, '2025-04-04'),
      storedDeviation('Kiruna', 207, 'other', 'skola', '2025-08-08'),
    ];
    for (const d of extra) await store.deviations.create(d);
    live = await figures(store);
  }, 120_000);

  it('has something to compare: meetings of 2024 and 2025, deviations of 2026, analysed in time or not', () => {
    const county = (year: number) => live[`${year}`].scopes[0].groups.alla;
    expect(county(2025)['meetings.initiated']).toEqual({ kind: 'count', value: 121 });
    expect(county(2024)['meetings.initiated']).toEqual({ kind: 'count', value: 1 });
    expect(county(2024)['commitments.total']).toEqual({ kind: 'count', value: 2 });
    expect((county(2026)['deviations.total'] as { value: number }).value).toBeGreaterThanOrEqual(1);
    expect(county(2025)['deviations.analysedInTime']).toEqual({ kind: 'share', numerator: 1, denominator: 4 });
  });

  it('keeps the figures when a third of the cases are erased, at every step of the erasure', async () => {
    // Every third case, and two with deviations analysed late or never (the others go in the next test).
    const chosen = meetings.filter((m, i) => i % 3 === 0 || m === lulea(1) || m === lulea(2));
    expect(chosen.map((m) => m.intake.municipality)).toContain('Arjeplog');
    const details = [];
    for (const m of chosen) details.push(await keepStatistics(store, m));
    // The statistics are kept, the case is still live: counted once, from the kept record.
    expect(await figures(store)).toEqual(live);
    for (const d of details) await deleteDetails(store, d);
    // The commitments and deviations are gone, the meeting not yet (an erasure stopped half-way).
    expect(await figures(store)).toEqual(live);
    // Run again, the erasure recomputes from what is left: the first record stays.
    for (const m of chosen) await keepStatistics(store, m);
    expect(await figures(store)).toEqual(live);
    for (const m of chosen) await store.meetings.remove(m.id, 'meeting');
    expect(await figures(store)).toEqual(live);
    expect(await store.meetings.get(chosen[0].id)).toBeUndefined();
    expect(await store.commitments.forMeeting(chosen[0].id)).toEqual([]);
  });

  it('keeps the figures when every case is erased, the meeting first or last', async () => {
    const rest = (await store.meetings.list()).sort((a, b) => a.id.localeCompare(b.id));
    expect(rest.length).toBeGreaterThan(0);
    for (const [i, m] of rest.entries()) {
      const details = await keepStatistics(store, m);
      if (i % 2) await store.meetings.remove(m.id, 'meeting');
      await deleteDetails(store, details);
      if (!(i % 2)) await store.meetings.remove(m.id, 'meeting');
    }
    expect(await store.meetings.list()).toEqual([]);
    expect(await figures(store)).toEqual(live);
    // What is left live: the report made on the form and those about routines in general.
    const left = (await Promise.all(MUNICIPALITIES.map((m) => store.deviations.forMunicipality(m)))).flat();
    expect(left.map((d) => d.id).sort()).toEqual(['d0000000000cd', 'd0000000000ce', 'd0000000000cf']);
  });

  it('reads a kept case back, and lists it in the years it counts in', async () => {
    const kept = await store.statistics.get('Luleå', meetingId(500));
    expect(kept?.value).toMatchObject({ municipality: 'Luleå', meetingId: meetingId(500), consentYear: 2024, erasedAt: ERASED_AT });
    expect(kept?.value.record.meeting).toMatchObject({ ageBand: '16–18', answers: { skola: { kind: 'attend', workingDays: 1 } } });
    const in2025 = (await store.statistics.forYear(2025, 'Luleå')).find((c) => c.meetingId === meetingId(500));
    expect(in2025).toMatchObject({ meeting: null, commitments: [] });
    expect(in2025?.deviations.map((d) => d.kind)).toEqual(['commitmentNotDone']);
    const in2024 = await store.statistics.forYear(2024);
    expect(in2024.map((c) => c.meetingId)).toEqual([meetingId(500)]);
    expect(in2024[0].commitments).toHaveLength(3);
    expect(in2024[0].deviations).toEqual([]);
  });
});

describe('what an erased case keeps', () => {
  const SECRETS = {
    caseReference: 'NB-7731',
    purpose: 'Hemlig-syfte oro för skolgång',
    place: 'Hemlig-plats Storgatan 5',
    participant: 'Hemlig-deltagare Anna Andersson',
    comment: 'Hemlig-kommentar kan inte på tisdag',
    reason: 'Hemlig-orsak sjukskriven',
    cancellation: 'Hemlig-inställt',
    name: 'Hemlig-namn Karin Karlsson',
    organisation: 'Hemlig-organisation',
    intervention: 'Hemlig-insats samtalsstöd',
    scope: 'Hemlig-omfattning 3 h/vecka',
    performer: 'Hemlig-utförare kurator Berg',
    outcomeReason: 'Hemlig-utfall flyttat',
    whatHappened: 'Hemlig-händelse ingen kom',
    consequence: 'Hemlig-konsekvens',
    suggestedAction: 'Hemlig-förslag',
    cause: 'Hemlig-analysorsak',
    measures: 'Hemlig-åtgärder',
    reference: 'AV-2025-0042',
    tenant: 'Hemlig-tenant',
    user: 'Hemlig-användare',
  };
  const prefix = testTablePrefix();
  let meeting: Meeting;
  let raw: string;

  beforeAll(async () => {
    const connectionString = inject('storageConnectionString');
    const store = await openStore({ connectionString, tablePrefix: prefix });
    const base = storedMeeting({ n: 77, municipality: 'Övertorneå', convener: 'skola', summoned: ['socialtjanst', 'primarvard', 'specialistvard'], consentDate: '2025-03-03', summonsDate: '2025-03-05', age: 17, gender: 'annan', fixedDate: '2025-03-20' });
    const by = { id: SECRETS.user, name: SECRETS.name };
    meeting = {
      ...base,
      intake: { ...base.intake, caseReference: SECRETS.caseReference, purpose: SECRETS.purpose, place: SECRETS.place },
      answers: {
        socialtjanst: { kind: 'attend', participant: SECRETS.participant, times: ['2025-03-20T13:00'], by, at: '2025-03-06T09:00:00Z' },
        primarvard: { kind: 'propose', time: '2025-03-21T13:00', comment: SECRETS.comment, by, at: '2025-03-07T09:00:00Z' },
        specialistvard: { kind: 'decline', reason: SECRETS.reason, by, at: '2025-03-10T09:00:00Z' },
      },
      createdBy: { ...by, organisation: SECRETS.organisation },
      convener: { ...base.convener, tenantId: SECRETS.tenant },
      cancellation: { reason: SECRETS.cancellation, at: '2025-03-08T09:00:00Z', by },
      fixation: { at: '2025-03-08T09:00:00Z', by },
    };
    const commitment: Commitment = {
      ...storedCommitment(meeting.id, 1, 'socialtjanst', '2025-05-01', 'started', '2025-05-02'),
      intervention: SECRETS.intervention,
      scope: SECRETS.scope,
      performer: SECRETS.performer,
      outcome: 'notDone',
      outcomeReason: SECRETS.outcomeReason,
      createdBy: by,
      updatedBy: by,
    };
    const deviation: Deviation = {
      ...storedDeviation('Övertorneå', 1, 'didNotTakePart', 'specialistvard', '2025-03-21', meeting.id),
      caseReference: SECRETS.caseReference,
      createdBy: { id: SECRETS.user },
      reference: SECRETS.reference,
      whatHappened: SECRETS.whatHappened,
      consequence: SECRETS.consequence,
      suggestedAction: SECRETS.suggestedAction,
      status: 'analysed',
      reportedAt: '2025-03-21T10:00:00Z',
      reportedBy: { id: SECRETS.user, party: 'skola' },
      analysisDue: '2025-04-21',
      analysis: { cause: SECRETS.cause, measures: SECRETS.measures, at: '2025-04-10T10:00:00Z', by: { id: SECRETS.user } },
    };
    await store.statistics.put(statisticsRowOf(caseStatisticsOf(meeting, [commitment], [deviation]), ERASED_AT));
    const table = TableClient.fromConnectionString(connectionString, `${prefix}Statistics`, { allowInsecureConnection: true });
    const rows: unknown[] = [];
    for await (const entity of table.listEntities()) rows.push(entity);
    expect(rows).toHaveLength(1);
    raw = JSON.stringify(rows);
  });

  it('holds none of the case’s free texts, no case reference, no names and no user or tenant ids', () => {
    for (const [what, secret] of Object.entries(SECRETS)) expect(raw.includes(secret), what).toBe(false);
    expect(raw).not.toMatch(/Hemlig/);
    expect(raw).not.toMatch(/NB-|AV-\d|19:|Handläggare|u-1|thread|serviceUrl|_connector/);
  });

  it('holds the age band, not the age, and only the fields the follow-up needs', () => {
    const row = JSON.parse(raw)[0] as Record<string, unknown>;
    const value = JSON.parse(String(row.d0)) as { record: Record<string, unknown> };
    expect(value.record).toEqual({
      meeting: {
        id: meeting.id,
        municipality: 'Övertorneå',
        convener: 'skola',
        summoned: ['socialtjanst', 'primarvard', 'specialistvard'],
        gender: 'annan',
        ageBand: '16–18',
        consentDate: '2025-03-03',
        summonsDate: '2025-03-05',
        meetingDate: '2025-03-20',
        state: 'fixed',
        followsUp: false,
        answers: { socialtjanst: { kind: 'attend', workingDays: 1 }, primarvard: { kind: 'propose', workingDays: 2 }, specialistvard: { kind: 'decline', workingDays: 3 } },
      },
      commitments: [{ meetingId: meeting.id, party: 'socialtjanst', followUpDate: '2025-05-01', status: 'started', outcome: 'notDone', doneDate: null }],
      deviations: [{ year: 2025, municipality: 'Övertorneå', meetingId: meeting.id, kind: 'didNotTakePart', party: 'specialistvard', analysisDue: '2025-04-21', analysedOn: '2025-04-10' }],
    });
    expect(raw).not.toMatch(/\bage\b/);
    expect(JSON.stringify(value)).not.toContain('17');
    expect(Object.keys(row).filter((k) => !/^(odata\.|partitionKey|rowKey|timestamp|etag|d\d+|dn)/.test(k))).toEqual(['consentYear']);
  });

  it('refuses what does not belong to the case, and any field beyond the record', async () => {
    const other = storedCommitment(meetingId(78), 2, 'skola', undefined, 'planned', '2025-03-10');
    expect(() => caseStatisticsOf(meeting, [other], [])).toThrow(RangeError);
    const elsewhere = storedDeviation('Luleå', 3, 'other', undefined, '2025-03-10', meeting.id);
    expect(() => caseStatisticsOf(meeting, [], [elsewhere])).toThrow(RangeError);
    const unlinked = { ...storedDeviation('Övertorneå', 4, 'other', undefined, '2025-03-10'), caseReference: 'NB-1' };
    expect(() => caseStatisticsOf(meeting, [], [unlinked])).toThrow(RangeError);
    const store = await openStore({ connectionString: inject('storageConnectionString'), tablePrefix: prefix });
    const record = caseStatisticsOf(meeting, [], []);
    const withAge = { ...record, meeting: { ...record.meeting, age: 17 } };
    await expect(store.statistics.put(statisticsRowOf(withAge, ERASED_AT))).rejects.toThrow();
    await expect(store.statistics.put({ ...statisticsRowOf(record, ERASED_AT), consentYear: 2024 })).rejects.toThrow();
  });
});
