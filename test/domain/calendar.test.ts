import { describe, expect, it } from 'vitest';
import { addWorkingDays, dateInStockholm, isWorkingDay, nextWorkingDay, workingDaysBetween } from '../../src/domain/calendar';

describe('working-day calendar (Europe/Stockholm)', () => {
  it.each([
    ['2026-03-02', true], // Monday
    ['2026-03-07', false], // Saturday
    ['2026-04-03', false], // Långfredagen
    ['2026-04-06', false], // Annandag påsk
    ['2026-04-02', true], // Skärtorsdagen is a working day
    ['2026-05-14', false], // Kristi himmelsfärd
    ['2026-05-25', true], // Annandag pingst is no holiday since 2005
    ['2026-06-19', false], // Midsommarafton
    ['2026-06-06', false], // Nationaldagen (Saturday anyway)
    ['2027-06-25', false], // Midsommarafton 2027
    ['2026-12-24', false], // Julafton
    ['2026-12-31', false], // Nyårsafton
    ['2027-01-01', false], // Nyårsdagen
    ['2027-01-06', false], // Trettondedag jul
    ['2025-01-06', false],
    ['2028-04-14', false], // Långfredagen 2028
    ['2028-04-17', false], // Annandag påsk 2028
    ['2028-04-18', true],
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('gives the deadlines of the scenario: summons by 9 March, meeting by 16 March', () => {
    const consent = '2026-03-02';
    const summonsDue = addWorkingDays(consent, 5);
    expect(summonsDue).toBe('2026-03-09');
    expect(addWorkingDays(summonsDue, 10)).toBe('2026-03-23');
    expect(addWorkingDays('2026-03-02', 10)).toBe('2026-03-16');
  });

  it('skips Easter', () => {
    // Wednesday before Easter 2026 + 2 working days: Thu 2 Apr, then Tue 7 Apr (Fri and Mon are holidays).
    expect(addWorkingDays('2026-04-01', 2)).toBe('2026-04-07');
  });

  it('skips Midsommar', () => {
    expect(addWorkingDays('2026-06-18', 1)).toBe('2026-06-22');
  });

  it('crosses Christmas and the year boundary', () => {
    // 23 Dec 2026 (Wed) + 3: Mon 28, Tue 29, Wed 30 (24–27 off); +4 skips 31 Dec and 1 Jan to Mon 4 Jan 2027.
    expect(addWorkingDays('2026-12-23', 3)).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-23', 4)).toBe('2027-01-04');
    expect(workingDaysBetween('2026-12-23', '2027-01-04')).toBe(4);
  });

  it('counts backwards', () => {
    expect(addWorkingDays('2027-01-04', -4)).toBe('2026-12-23');
    expect(workingDaysBetween('2027-01-04', '2026-12-23')).toBe(-4);
  });

  it('finds the next working day', () => {
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
    expect(nextWorkingDay('2026-03-02')).toBe('2026-03-02');
  });

  it('reads dates in Stockholm time, not UTC', () => {
    expect(dateInStockholm(new Date('2026-03-01T23:30:00Z'))).toBe('2026-03-02');
    expect(dateInStockholm(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => addWorkingDays('today', 1)).toThrow(RangeError);
  });
});
