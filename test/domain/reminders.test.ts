import { describe, expect, it } from 'vitest';
import { inPostingWindow, planReminders, type ReminderFacts } from '../../src/domain/reminders';

/** Karin's meeting of SCENARIO.md: consent and summons Monday 2 March 2026. */
const facts: ReminderFacts = {
  state: 'summoning',
  urgent: false,
  consentDate: '2026-03-02',
  summonsDate: '2026-03-02',
  replyBy: '2026-03-05',
  meetingDue: '2026-03-16',
  convener: 'skola',
  summoned: [
    { party: 'socialtjanst', sent: true, answered: false },
    { party: 'primarvard', sent: true, answered: false },
  ],
  commitments: [],
};

const window = { startHour: 8, endHour: 17 };

describe('reminder planning', () => {
  it('nudges each party 2 working days after the summons and after the reply-by date, and watches the meeting deadline', () => {
    expect(planReminders(facts)).toEqual([
      { kind: 'answerNudge', thread: 'socialtjanst', dueDate: '2026-03-04', subject: 'socialtjanst' },
      { kind: 'answerOverdue', thread: 'socialtjanst', dueDate: '2026-03-06', subject: 'socialtjanst' },
      { kind: 'answerDeviation', thread: 'convener', dueDate: '2026-03-06', subject: 'socialtjanst' },
      { kind: 'answerNudge', thread: 'primarvard', dueDate: '2026-03-04', subject: 'primarvard' },
      { kind: 'answerOverdue', thread: 'primarvard', dueDate: '2026-03-06', subject: 'primarvard' },
      { kind: 'answerDeviation', thread: 'convener', dueDate: '2026-03-06', subject: 'primarvard' },
      { kind: 'meetingNotFixed', thread: 'convener', dueDate: '2026-03-17', subject: 'meeting' },
    ]);
  });

  it('reminds primary care of the health examination and social services of an acute placement\'s cost sharing, and prompts a deviation when either is missed', () => {
    const held: ReminderFacts = { ...facts, state: 'fixed', meetingDate: '2026-03-12', summoned: facts.summoned.map((s) => ({ ...s, answered: true })) };
    const placement = { healthExaminationBy: '2026-03-20', healthExaminationDone: false, costSharingDue: '2026-03-26', costSharingSettled: false };
    expect(planReminders({ ...held, placement }).filter((r) => r.kind.startsWith('health') || r.kind.startsWith('cost'))).toEqual([
      { kind: 'healthExaminationUpcoming', thread: 'primarvard', dueDate: '2026-03-17', subject: '2026-03-20' },
      { kind: 'healthExaminationDeviation', thread: 'convener', dueDate: '2026-03-23', subject: '2026-03-20' },
      { kind: 'costSharingUpcoming', thread: 'socialtjanst', dueDate: '2026-03-23', subject: '2026-03-26' },
      { kind: 'costSharingDeviation', thread: 'convener', dueDate: '2026-03-27', subject: '2026-03-26' },
    ]);
    const done = { ...placement, healthExaminationDone: true, costSharingSettled: true };
    expect(planReminders({ ...held, placement: done }).some((r) => r.kind.startsWith('health') || r.kind.startsWith('cost'))).toBe(false);
    // Without primary care in the meeting, the convener chases the examination.
    const withoutPrimaryCare = { ...held, summoned: [{ party: 'socialtjanst' as const, sent: true, answered: true }], placement };
    expect(planReminders(withoutPrimaryCare).find((r) => r.kind === 'healthExaminationUpcoming')?.thread).toBe('convener');
  });

  it('asks the convener to close a held coordination 40 working days after the last thing to follow up, unless a follow-up meeting is planned', () => {
    const held: ReminderFacts = { ...facts, state: 'fixed', meetingDate: '2026-03-12', summoned: facts.summoned.map((s) => ({ ...s, answered: true })) };
    expect(planReminders(held).filter((r) => r.kind === 'closeProposal')).toEqual([{ kind: 'closeProposal', thread: 'convener', dueDate: '2026-05-12', subject: 'close' }]);
    const withCommitment = { ...held, commitments: [{ id: 'c1', party: 'skola' as const, followUpDate: '2026-06-15', status: 'done' as const }] };
    expect(planReminders(withCommitment).find((r) => r.kind === 'closeProposal')?.dueDate).toBe('2026-08-11'); // Midsommarafton is no working day
    expect(planReminders({ ...held, followUp: { date: '2026-09-01', convener: 'skola' } }).some((r) => r.kind === 'closeProposal')).toBe(false);
    expect(planReminders({ ...held, state: 'cancelled' })).toEqual([]);
  });

  it('reminds the convener on the 3rd and 5th working day after consent while a summons is unsent', () => {
    const unsent = { ...facts, consentDate: '2026-04-01', summonsDate: '2026-04-01', summoned: [{ party: 'socialtjanst' as const, sent: false, answered: false }] };
    const summons = planReminders(unsent).filter((r) => r.kind === 'summonsNotSent');
    // Easter: 3 and 6 April are holidays.
    expect(summons.map((r) => r.dueDate)).toEqual(['2026-04-08', '2026-04-10']);
  });

  it('plans nothing about answers once all have answered and the meeting is fixed, and nothing at all when cancelled', () => {
    const fixed: ReminderFacts = { ...facts, state: 'fixed', summoned: facts.summoned.map((s) => ({ ...s, answered: true })) };
    expect(planReminders(fixed)).toEqual([]);
    expect(planReminders({ ...facts, state: 'cancelled' })).toEqual([]);
  });

  it('still prompts a deviation about a party that never answered when the meeting was fixed without it', () => {
    const without: ReminderFacts = { ...facts, state: 'fixed', summoned: [{ ...facts.summoned[0], answered: true }, facts.summoned[1]] };
    expect(planReminders(without)).toEqual([{ kind: 'answerDeviation', thread: 'convener', dueDate: '2026-03-06', subject: 'primarvard' }]);
  });

  it('follows a commitment: 3 working days before, on the day, and a deviation 5 working days after without an answer', () => {
    const withCommitment: ReminderFacts = {
      ...facts,
      state: 'fixed',
      summoned: [],
      commitments: [{ id: 'c1', party: 'socialtjanst', followUpDate: '2026-06-22', status: 'planned' }],
    };
    expect(planReminders(withCommitment)).toEqual([
      { kind: 'commitmentUpcoming', thread: 'socialtjanst', dueDate: '2026-06-16', subject: 'c1' },
      { kind: 'commitmentCheck', thread: 'socialtjanst', dueDate: '2026-06-22', subject: 'c1' },
      { kind: 'commitmentDeviation', thread: 'convener', dueDate: '2026-06-29', subject: 'c1' },
      { kind: 'commitmentDeviation', thread: 'socialtjanst', dueDate: '2026-06-29', subject: 'c1' },
    ]);
    const notDone = { ...withCommitment, commitments: [{ ...withCommitment.commitments[0], outcome: 'notDone' as const }] };
    expect(planReminders(notDone).map((r) => [r.kind, r.dueDate])).toEqual([
      ['commitmentDeviation', '2026-06-22'],
      ['commitmentDeviation', '2026-06-22'],
    ]);
    const ongoing = { ...withCommitment, commitments: [{ ...withCommitment.commitments[0], outcome: 'ongoing' as const }] };
    expect(planReminders(ongoing)).toEqual([]);
  });

  it('moves a follow-up date on a holiday to the next working day, and sends the convener\'s own commitments to its thread', () => {
    const plan = planReminders({ ...facts, state: 'fixed', summoned: [], commitments: [{ id: 'c2', party: 'skola', followUpDate: '2026-12-24', status: 'planned' }] });
    expect(plan.find((r) => r.kind === 'commitmentCheck')).toEqual({ kind: 'commitmentCheck', thread: 'convener', dueDate: '2026-12-28', subject: 'c2' });
    expect(plan.filter((r) => r.kind === 'commitmentDeviation')).toHaveLength(1);
  });

  it('reminds whoever convenes the follow-up meeting 10 working days before it', () => {
    const plan = planReminders({ ...facts, state: 'fixed', summoned: [], followUp: { date: '2026-04-30', convener: 'socialtjanst' } });
    expect(plan).toEqual([{ kind: 'followUpMeeting', thread: 'socialtjanst', dueDate: '2026-04-16', subject: '2026-04-30' }]);
  });
});

describe('posting window (working days, 08–17 Europe/Stockholm)', () => {
  it.each([
    ['2026-03-02T07:00:00Z', true], // Monday 08:00 in Stockholm (winter time)
    ['2026-03-02T06:59:00Z', false],
    ['2026-03-02T15:59:00Z', true],
    ['2026-03-02T16:00:00Z', false], // 17:00
    ['2026-03-07T10:00:00Z', false], // Saturday
    ['2026-04-03T10:00:00Z', false], // Långfredagen
    ['2026-06-19T10:00:00Z', false], // Midsommarafton
    ['2026-06-22T06:00:00Z', true], // 08:00 summer time
  ])('%s is in the window: %s', (instant, expected) => {
    expect(inPostingWindow(new Date(instant), window)).toBe(expected);
  });
});
