import { describe, expect, it } from 'vitest';
import { SCENARIO_INTAKE } from '../support/scenario';
import { deadlinesFor, timesAfterDeadline, validateIntake, type IntakeInput } from '../../src/domain/intake';

/** Monday 2 March 2026, 09:00 in Luleå. */
const NOW = new Date('2026-03-02T08:00:00Z');

const scenario: IntakeInput = { ...SCENARIO_INTAKE, caseReference: 'NB-2026-0007' };

function problems(overrides: IntakeInput) {
  const result = validateIntake({ ...scenario, ...overrides }, NOW);
  return result.ok ? [] : result.problems;
}

describe('intake validation', () => {
  it('takes the consent of the young person alone from 18, and a guardian\'s only below', () => {
    expect(problems({ age: '19', consentFrom: 'ungdomen,vardnadshavare' })).toEqual([{ field: 'consentFrom', code: 'adultConsents' }]);
    expect(problems({ age: '18', consentFrom: 'vardnadshavare' })).toEqual([{ field: 'consentFrom', code: 'adultConsents' }]);
    expect(problems({ age: '19', consentFrom: 'ungdomen' })).toEqual([]);
    expect(problems({ age: '17', consentFrom: 'vardnadshavare' })).toEqual([]);
  });

  it('accepts the scenario intake', () => {
    const result = validateIntake(scenario, NOW);
    expect(result).toEqual({
      ok: true,
      intake: {
        municipality: 'Luleå',
        convener: 'skola',
        summoned: ['socialtjanst', 'primarvard'],
        caseReference: 'NB-2026-0007',
        age: 14,
        gender: 'flicka',
        purpose: 'Ökande frånvaro och sömnsvårigheter; behov av samlad bild och plan',
        urgent: false,
        consent: { date: '2026-03-02', from: ['ungdomen', 'vardnadshavare'], parties: ['socialtjanst', 'primarvard'] },
        proposedTimes: ['2026-03-12T13:00', '2026-03-13T09:00'],
        place: 'Sunderby skola, konferensrum 2',
        placedOutsideHome: false,
      },
    });
  });

  it.each([
    [{ municipality: 'Stockholm' }, { field: 'municipality', code: 'invalid' }],
    [{ municipality: '' }, { field: 'municipality', code: 'required' }],
    [{ convener: 'specialistvard' }, { field: 'convener', code: 'invalid' }],
    [{ summoned: '' }, { field: 'summoned', code: 'required' }],
    [{ summoned: 'socialtjanst,polisen' }, { field: 'summoned', code: 'invalid' }],
    [{ summoned: 'skola,socialtjanst' }, { field: 'summoned', code: 'convenerSummoned' }],
    [{ caseReference: 'NB 2026/7' }, { field: 'caseReference', code: 'invalid' }],
    [{ caseReference: '121212-1212' }, { field: 'caseReference', code: 'personnummer' }],
    [{ age: '21' }, { field: 'age', code: 'tooOld' }],
    [{ age: '-1' }, { field: 'age', code: 'invalid' }],
    [{ age: '14.5' }, { field: 'age', code: 'invalid' }],
    [{ age: '' }, { field: 'age', code: 'required' }],
    [{ gender: 'okänd' }, { field: 'gender', code: 'invalid' }],
    [{ purpose: '' }, { field: 'purpose', code: 'required' }],
    [{ purpose: 'Flickan 121212-1212 har hög frånvaro' }, { field: 'purpose', code: 'personnummer' }],
    [{ purpose: 'Samordningsnummer 701063-2391' }, { field: 'purpose', code: 'personnummer' }],
    [{ purpose: 'pnr 201212121212' }, { field: 'purpose', code: 'personnummer' }],
    [{ purpose: 'x'.repeat(501) }, { field: 'purpose', code: 'tooLong' }],
    [{ place: 'Hemma hos 20121212+1212' }, { field: 'place', code: 'personnummer' }],
    [{ consentDate: '2026-03-03' }, { field: 'consentDate', code: 'inFuture' }],
    [{ consentDate: '2026-02-30' }, { field: 'consentDate', code: 'invalid' }],
    [{ consentFrom: '' }, { field: 'consentFrom', code: 'required' }],
    [{ consentParties: 'socialtjanst' }, { field: 'consentParties', code: 'notCovered', parties: ['primarvard'] }],
    [{ consentConfirmed: 'false' }, { field: 'consentConfirmed', code: 'required' }],
    [{ time1Date: '', time1Time: '' }, { field: 'time1Date', code: 'required' }],
    [{ time1Date: '2026-03-01' }, { field: 'time1Date', code: 'inPast' }],
    [{ time2Date: '2026-03-12', time2Time: '13:00' }, { field: 'time2Date', code: 'duplicate' }],
    [{ time3Date: '2026-03-20', time3Time: '' }, { field: 'time3Date', code: 'invalid' }],
  ])('refuses %o', (overrides, problem) => {
    expect(problems(overrides as IntakeInput)).toEqual([problem]);
  });

  it('refuses a personnummer with a wrong check digit (a typo identifies the child as well) but accepts a bare number failing the check', () => {
    expect(problems({ purpose: 'Ärende 121212-1213 i journalen' })).toEqual([{ field: 'purpose', code: 'personnummer' }]);
    expect(problems({ purpose: 'Ärende 1212121213 i journalen' })).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(problems({ age: '25', purpose: '', consentConfirmed: '' })).toHaveLength(3);
    // Issue #13: the age and the personnummer in the purpose, in the same answer.
    expect(problems({ age: '25', purpose: 'Flickan 121212-1212 har hög frånvaro', caseReference: 'NB 2026/7', time1Date: '2026-03-01' })).toEqual([
      { field: 'caseReference', code: 'invalid' },
      { field: 'age', code: 'tooOld' },
      { field: 'purpose', code: 'personnummer' },
      { field: 'time1Date', code: 'inPast' },
    ]);
  });

  it('reports a long text with a personnummer for both, so the fix is not refused again for its length', () => {
    expect(problems({ purpose: `121212-1212 ${'x'.repeat(500)}` })).toEqual([
      { field: 'purpose', code: 'personnummer' },
      { field: 'purpose', code: 'tooLong' },
    ]);
  });

  it('checks the consent against the summoned parties even when one of them is not a party', () => {
    expect(problems({ summoned: 'socialtjanst,primarvard,polisen', consentParties: 'socialtjanst' })).toEqual([
      { field: 'summoned', code: 'invalid' },
      { field: 'consentParties', code: 'notCovered', parties: ['primarvard'] },
    ]);
    expect(problems({ summoned: 'skola,socialtjanst', consentParties: '' })).toEqual([
      { field: 'summoned', code: 'convenerSummoned' },
      { field: 'consentParties', code: 'notCovered', parties: ['socialtjanst'] },
    ]);
  });

  it('takes toggles as booleans as well as strings', () => {
    const result = validateIntake({ ...scenario, urgent: true, consentConfirmed: true }, NOW);
    expect(result.ok && result.intake.urgent).toBe(true);
  });
});

describe('deadlines', () => {
  it('gives the scenario deadlines: summons by 9 March, meeting by 16 March', () => {
    expect(deadlinesFor({ consent: { date: '2026-03-02', from: [], parties: [] }, urgent: false }, '2026-03-02')).toEqual({
      summonsDue: '2026-03-09',
      meetingDue: '2026-03-16',
    });
  });

  it('gives an acute meeting 2 working days', () => {
    expect(deadlinesFor({ consent: { date: '2026-04-01', from: [], parties: [] }, urgent: true }, '2026-04-01').meetingDue).toBe('2026-04-07');
  });

  it('flags proposed times after the meeting deadline', () => {
    expect(timesAfterDeadline(['2026-03-12T13:00', '2026-03-17T09:00'], '2026-03-16')).toEqual(['2026-03-17T09:00']);
  });
});
