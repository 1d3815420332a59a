import { describe, expect, it } from 'vitest';
import { checkPlanRoles, costSharingDue, placementStepParty, planOwnerRequired, recordParticipation } from '../../src/domain/plan';

describe('SIP roles (2013: Samordnare, Planansvarig)', () => {
  it('requires a planansvarig only when the samordnare is outside social services and health care', () => {
    expect(planOwnerRequired('skola')).toBe(true);
    for (const party of ['socialtjanst', 'primarvard', 'specialistvard'] as const) expect(planOwnerRequired(party)).toBe(false);
    expect(planOwnerRequired(undefined)).toBe(false);
  });

  it('refuses a school samordnare without a planansvarig, and a planansvarig outside social services and health care', () => {
    expect(checkPlanRoles({ coordinator: { party: 'skola', name: 'kurator' } })).toBe('planOwnerRequired');
    expect(checkPlanRoles({ coordinator: { party: 'skola', name: '' }, planOwner: { party: 'socialtjanst', name: 'socialsekreterare' } })).toBeUndefined();
    expect(checkPlanRoles({ coordinator: { party: 'socialtjanst', name: '' }, planOwner: { party: 'skola', name: '' } })).toBe('planOwnerNotCare');
    expect(checkPlanRoles({ coordinator: { party: 'primarvard', name: '' } })).toBeUndefined();
  });
});

describe('placement outside the home (2013: Kostnadsfördelning, Hälsoundersökningar)', () => {
  it('settles the cost sharing of an acute placement within ten working days of the decision, Easter not counted', () => {
    // Wednesday 1 April 2026; Långfredag 3 April and Annandag påsk 6 April are no working days.
    expect(costSharingDue({ acute: true, decidedOn: '2026-04-01' })).toBe('2026-04-17');
    expect(costSharingDue({ acute: false, decidedOn: '2026-04-01' })).toBeUndefined();
    expect(costSharingDue({ acute: true })).toBeUndefined();
  });

  it('gives each step to its party, or to the convener when that party is not in the meeting', () => {
    expect(placementStepParty(['skola', 'socialtjanst', 'primarvard'], 'skola', 'healthExamination')).toBe('primarvard');
    expect(placementStepParty(['skola', 'socialtjanst', 'primarvard'], 'skola', 'costSharing')).toBe('socialtjanst');
    expect(placementStepParty(['skola', 'socialtjanst'], 'skola', 'healthExamination')).toBe('skola');
  });
});

describe('"Mötet hölls" (2025: delaktighet)', () => {
  const meeting = { state: 'fixed', fixedTime: '2026-03-12T13:00', parties: ['skola', 'socialtjanst', 'primarvard'] as const, age: 14 };
  const stated = { parties: ['skola', 'socialtjanst'], youngPerson: true, guardians: ['yes', 'none'] as ('yes' | 'no' | 'none')[], viewRecorded: true };

  it('records the parties in the meeting, the young person, each guardian there is, and whether the view was recorded', () => {
    expect(recordParticipation({ ...meeting, parties: [...meeting.parties] }, stated, '2026-03-12T14:30')).toEqual({
      ok: true,
      participation: { parties: ['skola', 'socialtjanst'], youngPerson: true, guardians: [true], viewRecorded: true },
    });
    const both = recordParticipation({ ...meeting, parties: [...meeting.parties] }, { ...stated, guardians: ['no', 'yes'] }, '2026-03-13T08:00');
    expect(both.ok && both.participation.guardians).toEqual([false, true]);
  });

  it('asks about no guardian from 18, when the young person consents alone', () => {
    const adult = recordParticipation({ ...meeting, parties: [...meeting.parties], age: 19 }, { ...stated, guardians: ['yes', 'yes'] }, '2026-03-12T14:30');
    expect(adult.ok && adult.participation.guardians).toEqual([]);
  });

  it('refuses before the meeting has begun, for a meeting not fixed, without parties, and with a party not in the meeting', () => {
    const parties = [...meeting.parties];
    expect(recordParticipation({ ...meeting, parties }, stated, '2026-03-12T12:59')).toEqual({ ok: false, refusal: 'notYetHeld' });
    expect(recordParticipation({ ...meeting, parties, state: 'summoning', fixedTime: undefined }, stated, '2026-03-12T14:00')).toEqual({ ok: false, refusal: 'notFixed' });
    expect(recordParticipation({ ...meeting, parties }, { ...stated, parties: [] }, '2026-03-12T14:00')).toEqual({ ok: false, refusal: 'noParties' });
    expect(recordParticipation({ ...meeting, parties }, { ...stated, parties: ['skola', 'specialistvard'] }, '2026-03-12T14:00')).toEqual({ ok: false, refusal: 'notAParty' });
  });
});
