import { beforeAll, describe, expect, it } from 'vitest';
import { computeYear } from '../../src/domain/indicators';
import { MUNICIPALITIES } from '../../src/domain/municipality';
import { loadYear, toCommitmentRecord, toDeviationRecord, toMeetingRecord } from '../../src/stats';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../support/store';
import { meetingId, seedCountyYear, storedCommitment, storedDeviation, storedMeeting } from './seed';

describe('loadYear from the store (Azurite)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    const meetings = [
      // Consent the Wednesday before Easter, summons the Tuesday after, answers on Thursday; held.
      storedMeeting({ n: 1, municipality: 'Luleå', convener: 'skola', summoned: ['socialtjanst', 'primarvard'], consentDate: '2025-04-16', summonsDate: '2025-04-22', answered: { socialtjanst: '2025-04-24' }, fixedDate: '2025-05-06', gender: 'pojke', age: 7 }),
      // No summons posted yet: the summons day is the day it was created.
      { ...storedMeeting({ n: 2, municipality: 'Luleå', summoned: ['socialtjanst'], consentDate: '2025-06-18', summonsDate: '2025-06-23', state: 'cancelled' }), summons: {} },
      storedMeeting({ n: 3, municipality: 'Kiruna', summoned: ['skola'], convener: 'socialtjanst', consentDate: '2025-09-01', summonsDate: '2025-09-02', followsUp: meetingId(1) }),
      // Consent in 2024: not in the 2025 report.
      storedMeeting({ n: 4, municipality: 'Luleå', summoned: ['skola'], consentDate: '2024-12-30', summonsDate: '2025-01-02' }),
    ];
    for (const m of meetings) await store.meetings.create(m);
    await store.commitments.create(storedCommitment(meetingId(1), 1, 'skola', '2025-06-02', 'done', '2025-05-30'));
    await store.commitments.create(storedCommitment(meetingId(1), 2, 'socialtjanst', undefined, 'planned', '2025-05-06'));
    await store.commitments.create(storedCommitment(meetingId(4), 3, 'skola', '2025-03-02', 'done', '2025-03-01'));
    await store.deviations.create(storedDeviation('Luleå', 1, 'summonsNotAnswered', 'primarvard', '2025-04-28', meetingId(1)));
    await store.deviations.create(storedDeviation('Kiruna', 2, 'meetingNotInTime', undefined, '2025-10-01'));
    await store.deviations.create(storedDeviation('Luleå', 3, 'commitmentNotDone', 'skola', '2024-11-28'));
  });

  it('reads the meetings with consent in the year, their commitments and the deviations of the year, as plain records', async () => {
    const data = await loadYear(store, 2025, undefined, '2025-12-31');
    expect(data.year).toBe(2025);
    expect(data.asOf).toBe('2025-12-31');
    expect(data.meetings).toEqual([
      {
        id: meetingId(1),
        municipality: 'Luleå',
        convener: 'skola',
        summoned: ['socialtjanst', 'primarvard'],
        gender: 'pojke',
        ageBand: '6–12',
        consentDate: '2025-04-16',
        summonsDate: '2025-04-22',
        meetingDate: '2025-05-06',
        state: 'fixed',
        followsUp: false,
        answers: { socialtjanst: { kind: 'attend', workingDays: 2 } },
      },
      expect.objectContaining({ id: meetingId(2), summonsDate: '2025-06-23', meetingDate: null, state: 'cancelled', answers: {} }),
      expect.objectContaining({ id: meetingId(3), municipality: 'Kiruna', convener: 'socialtjanst', followsUp: true, meetingDate: null }),
    ]);
    expect(data.commitments).toEqual([
      { meetingId: meetingId(1), party: 'skola', followUpDate: '2025-06-02', status: 'done', outcome: undefined, doneDate: '2025-05-30' },
      { meetingId: meetingId(1), party: 'socialtjanst', followUpDate: null, status: 'planned', outcome: undefined, doneDate: null },
    ]);
    expect(data.deviations.map((d) => [d.municipality, d.kind, d.party, d.meetingId, d.analysedInTime])).toEqual([
      ['Kiruna', 'meetingNotInTime', null, undefined, null],
      ['Luleå', 'summonsNotAnswered', 'primarvard', meetingId(1), null],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'sv')));
  });

  it('reads one municipality with the column filter', async () => {
    const data = await loadYear(store, 2025, 'Kiruna', '2025-12-31');
    expect(data.meetings.map((m) => m.id)).toEqual([meetingId(3)]);
    expect(data.deviations.map((d) => d.kind)).toEqual(['meetingNotInTime']);
    expect((await loadYear(store, 2024, 'Luleå', '2025-12-31')).meetings.map((m) => m.id)).toEqual([meetingId(4)]);
  });

  it('counts a commitment done by its follow-up date, a deviation analysed in time when the workflow records it', () => {
    expect(toCommitmentRecord({ ...storedCommitment('m', 9, 'skola', '2025-03-01', 'started', '2025-02-27'), outcome: 'done' }).doneDate).toBe('2025-02-27');
    const d = storedDeviation('Boden', 9, 'meetingNotInTime', 'skola', '2025-03-01');
    expect(toDeviationRecord({ ...d, analysisDue: '2025-04-30', analysis: { at: '2025-04-30T20:00:00Z' } } as typeof d, '2025-12-31').analysedInTime).toBe(true);
    expect(toDeviationRecord({ ...d, analysisDue: '2025-04-30', analysis: { at: '2025-04-30T22:30:00Z' } } as typeof d, '2025-12-31').analysedInTime).toBe(false);
    expect(toDeviationRecord({ ...d, analysisDue: '2025-04-30' } as typeof d, '2025-04-30').analysedInTime).toBeNull();
    expect(toDeviationRecord({ ...d, analysisDue: '2025-04-30' } as typeof d, '2025-05-01').analysedInTime).toBe(false);
  });
});

describe('a county year read back from the store', () => {
  it('gives the same indicators as the records that were written', async () => {
    const store = await openTestStore();
    const seeded = await seedCountyYear(store, 120);
    const data = await loadYear(store, 2025, undefined, '2025-12-31');
    expect(data.meetings).toHaveLength(121);
    const options = { municipalities: [...MUNICIPALITIES], county: true };
    const fromWritten = computeYear(
      { year: 2025, asOf: '2025-12-31', meetings: seeded.meetings.map(toMeetingRecord), commitments: seeded.commitments.map(toCommitmentRecord), deviations: seeded.deviations.map((d) => toDeviationRecord(d, '2025-12-31')) },
      options,
    );
    expect(computeYear(data, options)).toEqual(fromWritten);
    const lulea = await loadYear(store, 2025, 'Luleå', '2025-12-31');
    expect(lulea.meetings.length).toBe(seeded.meetings.filter((m) => m.intake.municipality === 'Luleå').length);
    expect(computeYear(lulea, { municipalities: ['Luleå'], county: false }).scopes[0]).toEqual(fromWritten.scopes.find((s) => s.scope === 'Luleå'));
  });
});
