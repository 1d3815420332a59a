import { describe, expect, it } from 'vitest';
import { deadlinesFor } from '../../src/domain/intake';
import { DEFAULT_LOCAL_PRACTICE, replyByFor } from '../../src/domain/localPractice';

describe('time limits of local practice (lokal rutin), not of the agreements', () => {
  it('gives an ordinary summons 3 working days and an acute one 1, by default', () => {
    // Friday 27 March 2026: the weekend does not count.
    expect(replyByFor('2026-03-27', false, '2026-04-20', DEFAULT_LOCAL_PRACTICE)).toBe('2026-04-01');
    expect(replyByFor('2026-03-27', true, '2026-04-20', DEFAULT_LOCAL_PRACTICE)).toBe('2026-03-30');
  });

  it('asks for the answer the working day before the first proposed time when that comes sooner', () => {
    expect(replyByFor('2026-03-02', false, '2026-03-04', DEFAULT_LOCAL_PRACTICE)).toBe('2026-03-03');
  });

  it('follows what the deployment configures, for the reply and for the acute meeting', () => {
    const practice = { replyDays: 5, urgentReplyDays: 2, urgentMeetingDays: 4 };
    expect(replyByFor('2026-03-02', false, '2026-03-30', practice)).toBe('2026-03-09');
    expect(replyByFor('2026-03-02', true, '2026-03-30', practice)).toBe('2026-03-04');
    const consent = { date: '2026-03-02', from: [], parties: [] };
    expect(deadlinesFor({ consent, urgent: true }, '2026-03-02', practice).meetingDue).toBe('2026-03-06');
    // The agreement's own limit (10 working days) does not move.
    expect(deadlinesFor({ consent, urgent: false }, '2026-03-02', practice).meetingDue).toBe('2026-03-16');
  });
});
