import { describe, expect, it } from 'vitest';
import { findDatePhrase } from '../../../src/domain/commitment/dates';
import { fold } from '../../../src/domain/commitment/text';

const dateOf = (phrase: string, today: string) => findDatePhrase(fold(phrase), today)?.date ?? null;

describe('follow-up date phrases', () => {
  it.each([
    ['15 mars', '2026-03-12', '2026-03-15'],
    ['15:e mars', '2026-03-12', '2026-03-15'],
    ['23 april', '2026-03-12', '2026-04-23'],
    ['1 sept', '2026-05-20', '2026-09-01'],
    ['den 12 okt 2026', '2026-09-03', '2026-10-12'],
    ['3 Maj', '2026-03-12', '2026-05-03'],
    ['20 december', '2026-12-10', '2026-12-20'],
  ])('month names: %s on %s is %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each([
    ['12/3', '2026-03-12', '2026-03-12'], // today itself
    ['13/3', '2026-03-12', '2026-03-13'], // after today: this year
    ['11/3', '2026-03-12', '2027-03-11'], // before today: next year
    ['1 mars', '2026-03-12', '2027-03-01'],
    ['den 3/4', '2026-03-12', '2026-04-03'],
    ['15/1', '2026-12-10', '2027-01-15'],
    ['15/3 2027', '2026-09-03', '2027-03-15'],
    ['1/10-26', '2026-09-03', '2026-10-01'],
    ['2026-04-10', '2026-03-12', '2026-04-10'],
    ['2025-04-10', '2026-03-12', '2025-04-10'], // an explicit year is taken as written
  ])('day and month before and after today: %s on %s is %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each([
    ['31/2', '2026-03-12'],
    ['31 april', '2026-03-12'],
    ['2026-02-30', '2026-03-12'],
    ['30/2 2028', '2026-03-12'],
    ['v 54', '2026-03-12'],
  ])('a day that does not exist gives no date: %s', (phrase, today) => expect(dateOf(phrase, today)).toBeNull());

  it('29/2 waits for the next leap year', () => {
    expect(dateOf('29/2', '2027-01-14')).toBe('2028-02-29');
    expect(dateOf('29/2', '2028-02-01')).toBe('2028-02-29');
  });

  it.each([
    ['v. 17', '2026-03-12', '2026-04-20'],
    ['v.14', '2026-03-12', '2026-03-30'],
    ['vecka 14', '2026-03-12', '2026-03-30'],
    ['v14', '2026-03-12', '2026-03-30'],
    ['v 11', '2026-03-12', '2026-03-09'], // today's week: its Monday, even if it has passed
    ['v 10', '2026-03-12', '2027-03-08'], // a week already gone: next year's
    ['v. 2', '2026-12-10', '2027-01-11'], // across the new year
    ['v 1', '2027-01-14', '2028-01-03'],
    ['v 53', '2026-12-10', '2026-12-28'], // 2026 has 53 ISO weeks
    ['v 53', '2027-01-14', '2032-12-27'], // the next year that has one
    ['v 52', '2026-12-31', '2027-12-27'], // 31 Dec 2026 is in week 53
  ])('week numbers: %s on %s is the Monday %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each([
    ['om tre veckor', '2026-03-12', '2026-04-02'],
    ['om två veckor', '2026-03-12', '2026-03-26'],
    ['om 3 veckor', '2026-12-10', '2026-12-31'],
    ['om 2 v', '2027-01-14', '2027-01-28'],
    ['om 14 dagar', '2026-03-12', '2026-03-26'],
    ['om en månad', '2026-03-12', '2026-04-12'],
    ['om en månad', '2026-01-31', '2026-02-28'],
    ['om ett halvår', '2026-03-12', '2026-09-12'],
    ['efter 6 veckor', '2026-03-12', '2026-04-23'],
    ['nästa vecka', '2026-09-03', '2026-09-07'],
    ['i morgon', '2026-12-31', '2027-01-01'],
  ])('relative dates: %s on %s is %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each(['efter sommarlovet', 'i april', 'i slutet av oktober', 'om ett par veckor', 'om några veckor', 'nästa termin', 'efter jul'])(
    'a vague phrase is no date: %s',
    (phrase) => expect(findDatePhrase(fold(phrase), '2026-03-12')).toBeNull(),
  );

  it('finds the first phrase and where it is', () => {
    expect(findDatePhrase(fold('uppföljning v. 17 eller 23/4'), '2026-03-12')).toEqual({ date: '2026-04-20', start: 12, end: 17 });
  });
});

describe('weekdays and the other short forms', () => {
  it.each([
    ['på torsdag', '2026-03-12', '2026-03-19'], // today is a Thursday: a bare weekday is the next one after today
    ['på fredag', '2026-03-12', '2026-03-13'],
    ['måndag', '2026-03-12', '2026-03-16'],
    ['tors', '2026-05-20', '2026-05-21'],
    ['fre', '2026-05-20', '2026-05-22'],
    ['på onsdag nästa vecka', '2026-03-12', '2026-03-18'],
    ['tisdag nästa vecka', '2026-10-21', '2026-10-27'],
    ['nästa fredag', '2026-03-12', '2026-03-20'],
    ['fredag denna vecka', '2026-03-10', '2026-03-13'],
    ['fredag i veckan', '2026-03-12', '2026-03-13'],
    ['torsdag v. 15', '2026-03-12', '2026-04-09'],
    ['fre v. 5', '2027-01-14', '2027-02-05'],
    ['tisdag 14/4', '2026-03-12', '2026-04-14'], // a date of its own wins
    ['fredag den 3 april', '2026-03-12', '2026-04-03'],
    ['fredag', '2026-12-31', '2027-01-01'],
  ])('%s on %s is %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each([
    ['15.4', '2026-03-12', '2026-04-15'],
    ['1.3', '2026-03-12', '2027-03-01'],
    ['15.4.2027', '2026-03-12', '2027-04-15'],
    ['den 15:e', '2026-03-12', '2026-03-15'],
    ['den 12:e', '2026-03-12', '2026-03-12'],
    ['den 3:e', '2026-05-20', '2026-06-03'],
    ['den 1:a', '2026-12-10', '2027-01-01'],
    ['den 31:a', '2026-04-10', '2026-05-31'], // April has no 31st
  ])('%s on %s is %s', (phrase, today, date) => expect(dateOf(phrase, today)).toBe(date));

  it.each(['varje fredag', 'på fredagar', 'alla tisdagar', 'kl 13.30', '1.5 h/v', '11:1 SoL', '4 kap. 1 § SoL'])('%s is no date', (phrase) =>
    expect(findDatePhrase(fold(phrase), '2026-03-12')).toBeNull(),
  );
});
