import { describe, expect, it } from 'vitest';
import { answerSummons, candidateTimes, cancelMeeting, fixMeeting, waitingFor, ageBand, type MeetingCore } from '../../src/domain/meeting';

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
const attend = { kind: 'attend' as const, participant: 'Jonas, socialsekreterare', time: '2026-03-12T13:00' };

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
    expect(answerSummons(meeting, 'socialtjanst', { ...attend, time: '2026-03-20T10:00' }, jonas, 't')).toEqual({ ok: false, refusal: 'unknownTime' });
  });

  it('fixes only when everyone has answered, at a candidate time, and then freezes the answers', () => {
    const a = answerSummons(meeting, 'socialtjanst', attend, jonas, 't1');
    if (!a.ok) throw new Error();
    expect(fixMeeting(a.meeting, '2026-03-12T13:00')).toEqual({ ok: false, refusal: 'notAllAnswered' });
    const b = answerSummons(a.meeting, 'primarvard', { kind: 'propose', time: '2026-03-16T10:00', comment: '' }, leila, 't2');
    if (!b.ok) throw new Error();
    expect(candidateTimes(b.meeting)).toEqual(['2026-03-12T13:00', '2026-03-13T09:00', '2026-03-16T10:00']);
    expect(fixMeeting(b.meeting, '2026-03-20T10:00')).toEqual({ ok: false, refusal: 'unknownTime' });
    const fixed = fixMeeting(b.meeting, '2026-03-16T10:00');
    expect(fixed.ok && fixed.meeting.state).toBe('fixed');
    if (!fixed.ok) throw new Error();
    expect(fixMeeting(fixed.meeting, '2026-03-16T10:00')).toMatchObject({ ok: true, changed: false });
    expect(fixMeeting(fixed.meeting, '2026-03-12T13:00')).toEqual({ ok: false, refusal: 'alreadyFixed' });
    expect(answerSummons(fixed.meeting, 'primarvard', attend, leila, 't3')).toEqual({ ok: false, refusal: 'alreadyFixed' });
  });

  it('cancels once and refuses answers afterwards', () => {
    const cancelled = cancelMeeting(meeting);
    expect(cancelled.meeting.state).toBe('cancelled');
    expect(cancelMeeting(cancelled.meeting).changed).toBe(false);
    expect(answerSummons(cancelled.meeting, 'socialtjanst', attend, jonas, 't')).toEqual({ ok: false, refusal: 'cancelled' });
    expect(fixMeeting(cancelled.meeting, '2026-03-12T13:00')).toEqual({ ok: false, refusal: 'cancelled' });
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
