import { describe, expect, it } from 'vitest';
import { answerFixedTime, answerSummons, availability, candidateTimes, cancelMeeting, fixMeeting, unconfirmedParties, waitingFor, ageBand, type MeetingCore } from '../../src/domain/meeting';

const meeting: MeetingCore = {
  state: 'summoning',
  answers: {},
  intake: {
    municipality: 'Luleå',
    convener: 'skola',
    summoned: ['socialtjanst', 'primarvard'],
    caseReference: 'NB-2026-0007',
    age: 14,
    gender: 'flicka',
    purpose: 'p',
    urgent: false,
    consent: { date: '2026-03-02', from: ['ungdomen'], parties: ['socialtjanst', 'primarvard'] },
    proposedTimes: ['2026-03-12T13:00', '2026-03-13T09:00'],
    place: 'x',
    placedOutsideHome: false,
  },
};
const jonas = { id: '29:jonas' };
const leila = { id: '29:leila' };
const attend = { kind: 'attend' as const, participant: 'Jonas, socialsekreterare', times: ['2026-03-12T13:00'] };
/** Before the reply-by day (6 March), and on it. */
const early = { today: '2026-03-04', replyBy: '2026-03-06' };
const onReplyDay = { today: '2026-03-06', replyBy: '2026-03-06' };

describe('meeting state', () => {
  it('records answers and knows who is still to answer', () => {
    const first = answerSummons(meeting, 'socialtjanst', attend, jonas, 't1');
    expect(first.ok && first.changed).toBe(true);
    if (!first.ok) return;
    expect(waitingFor(first.meeting)).toEqual(['primarvard']);
  });

  it('records the same answer twice only once', () => {
    const first = answerSummons(meeting, 'socialtjanst', attend, jonas, 't1');
    if (!first.ok) throw new Error();
    const again = answerSummons(first.meeting, 'socialtjanst', attend, jonas, 't2');
    expect(again).toEqual({ ok: true, meeting: first.meeting, changed: false });
  });

  it('refuses answers from parties not summoned, and unknown times', () => {
    expect(answerSummons(meeting, 'specialistvard', attend, jonas, 't')).toEqual({ ok: false, refusal: 'notSummoned' });
    expect(answerSummons(meeting, 'socialtjanst', { ...attend, times: ['2026-03-20T10:00'] }, jonas, 't')).toEqual({ ok: false, refusal: 'unknownTime' });
  });

  it('fixes when everyone has answered, at a candidate time, and then freezes the answers', () => {
    const a = answerSummons(meeting, 'socialtjanst', attend, jonas, 't1');
    if (!a.ok) throw new Error();
    expect(fixMeeting(a.meeting, '2026-03-12T13:00', early)).toEqual({ ok: false, refusal: 'notAllAnswered' });
    const b = answerSummons(a.meeting, 'primarvard', { kind: 'propose', time: '2026-03-16T10:00', comment: '' }, leila, 't2');
    if (!b.ok) throw new Error();
    expect(candidateTimes(b.meeting)).toEqual(['2026-03-12T13:00', '2026-03-13T09:00', '2026-03-16T10:00']);
    expect(fixMeeting(b.meeting, '2026-03-20T10:00', early)).toEqual({ ok: false, refusal: 'unknownTime' });
    const fixed = fixMeeting(b.meeting, '2026-03-16T10:00', early);
    expect(fixed.ok && fixed.meeting.state).toBe('fixed');
    if (!fixed.ok) throw new Error();
    expect(fixMeeting(fixed.meeting, '2026-03-16T10:00', early)).toMatchObject({ ok: true, changed: false });
    expect(answerSummons(fixed.meeting, 'primarvard', attend, leila, 't3')).toEqual({ ok: false, refusal: 'alreadyFixed' });
    expect(fixMeeting(fixed.meeting, '2026-03-12T13:00', { ...early, closed: true })).toEqual({ ok: false, refusal: 'closed' });
  });

  it('shows per time which parties can come, and asks those who did not choose the fixed time', () => {
    const both = { kind: 'attend' as const, participant: 'Jonas', times: ['2026-03-12T13:00', '2026-03-13T09:00'] };
    const a = answerSummons(meeting, 'socialtjanst', both, jonas, 't1');
    if (!a.ok) throw new Error();
    const b = answerSummons(a.meeting, 'primarvard', { kind: 'propose', time: '2026-03-16T10:00', comment: '' }, leila, 't2');
    if (!b.ok) throw new Error();
    expect(availability(b.meeting)).toEqual([
      { time: '2026-03-12T13:00', fits: ['socialtjanst'], all: false },
      { time: '2026-03-13T09:00', fits: ['socialtjanst'], all: false },
      { time: '2026-03-16T10:00', fits: ['primarvard'], all: false },
    ]);
    const fixed = fixMeeting(b.meeting, '2026-03-16T10:00', early);
    if (!fixed.ok) throw new Error();
    // Social services chose other times: the question "Ny tid: passar den?" is open for it, not for primary care.
    expect(unconfirmedParties(fixed.meeting)).toEqual([{ party: 'socialtjanst', fits: undefined }]);
    expect(answerFixedTime(fixed.meeting, 'socialtjanst', '2026-03-12T13:00', true, jonas, 't3')).toEqual({ ok: false, refusal: 'staleTime' });
    const no = answerFixedTime(fixed.meeting, 'socialtjanst', '2026-03-16T10:00', false, jonas, 't3');
    if (!no.ok) throw new Error();
    expect(unconfirmedParties(no.meeting)).toEqual([{ party: 'socialtjanst', fits: false }]);
    // Moved to another time the convener sets: both parties are asked again.
    expect(fixMeeting(no.meeting, '2026-03-18T09:00', early)).toEqual({ ok: false, refusal: 'unknownTime' });
    const moved = fixMeeting(no.meeting, '2026-03-18T09:00', { ...early, other: true });
    if (!moved.ok) throw new Error();
    expect(unconfirmedParties(moved.meeting).map((p) => p.party)).toEqual(['socialtjanst', 'primarvard']);
    const yes = answerFixedTime(moved.meeting, 'primarvard', '2026-03-18T09:00', true, leila, 't4');
    if (!yes.ok) throw new Error();
    expect(answerFixedTime(yes.meeting, 'primarvard', '2026-03-18T09:00', true, leila, 't5')).toMatchObject({ ok: true, changed: false });
    expect(unconfirmedParties(yes.meeting).map((p) => p.party)).toEqual(['socialtjanst']);
  });

  it('fixes without a silent party only from the reply-by day, and never asks a party that declined', () => {
    const declined = answerSummons(meeting, 'socialtjanst', { kind: 'decline', reason: 'Ingen insats' }, jonas, 't1');
    if (!declined.ok) throw new Error();
    expect(fixMeeting(declined.meeting, '2026-03-12T13:00', early)).toEqual({ ok: false, refusal: 'notAllAnswered' });
    const fixed = fixMeeting(declined.meeting, '2026-03-12T13:00', onReplyDay);
    if (!fixed.ok) throw new Error();
    expect(fixed.meeting.state).toBe('fixed');
    expect(unconfirmedParties(fixed.meeting)).toEqual([{ party: 'primarvard', fits: undefined }]);
    expect(answerFixedTime(fixed.meeting, 'socialtjanst', '2026-03-12T13:00', true, jonas, 't2')).toEqual({ ok: false, refusal: 'notAsked' });
  });

  it('cancels once and refuses answers afterwards', () => {
    const cancelled = cancelMeeting(meeting);
    expect(cancelled.meeting.state).toBe('cancelled');
    expect(cancelMeeting(cancelled.meeting).changed).toBe(false);
    expect(answerSummons(cancelled.meeting, 'socialtjanst', attend, jonas, 't')).toEqual({ ok: false, refusal: 'cancelled' });
    expect(fixMeeting(cancelled.meeting, '2026-03-12T13:00', early)).toEqual({ ok: false, refusal: 'cancelled' });
  });

  it.each([
    [0, '0–5'],
    [5, '0–5'],
    [6, '6–12'],
    [14, '13–15'],
    [16, '16–18'],
    [20, '19–20'],
  ])('puts age %i in band %s', (age, band) => {
    expect(ageBand(age)).toBe(band);
  });
});
