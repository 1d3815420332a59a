import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Stockholm';

/** A calendar date (`yyyy-MM-dd`) in Europe/Stockholm. */
export type IsoDate = string;

const swedishHolidays = new Holidays('SE');
const daysOffByYear = new Map<number, Set<IsoDate>>();

/**
 * Public holidays (type `public`) and Midsommarafton, Julafton and Nyårsafton (type `bank` in
 * date-holidays), which are not working days in practice.
 */
function daysOff(year: number): Set<IsoDate> {
  let days = daysOffByYear.get(year);
  if (!days) {
    days = new Set(
      swedishHolidays
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    daysOffByYear.set(year, days);
  }
  return days;
}

/**
 * A calendar date as a day to count with. A date has no time of day, so no zone: counted in UTC,
 * where every day has 24 hours, it is the same day as in Stockholm, without the time-zone work.
 */
function parse(date: IsoDate): DateTime {
  const parsed = DateTime.fromISO(date, { zone: 'utc' });
  if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a date: ${date}`);
  return parsed;
}

const workingDays = new Map<IsoDate, boolean>();

/** The Stockholm calendar date of an instant. */
export function dateInStockholm(instant: Date): IsoDate {
  return DateTime.fromJSDate(instant, { zone: ZONE }).toISODate()!;
}

/** Monday to Friday, except Swedish public holidays and Midsommarafton, Julafton, Nyårsafton. */
export function isWorkingDay(date: IsoDate): boolean {
  let working = workingDays.get(date);
  if (working === undefined) {
    const day = parse(date);
    working = day.weekday <= 5 && !daysOff(day.year).has(date);
    workingDays.set(date, working);
  }
  return working;
}

/** The date `count` working days after `date` (before it, for a negative count). */
export function addWorkingDays(date: IsoDate, count: number): IsoDate {
  let day = parse(date);
  const step = count >= 0 ? 1 : -1;
  for (let left = Math.abs(count); left > 0; ) {
    day = day.plus({ days: step });
    if (isWorkingDay(day.toISODate()!)) left--;
  }
  return day.toISODate()!;
}

/** Working days from `from` to `to`: those after `from` up to and including `to` (negative if `to` is earlier). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = parse(from).plus({ days: 1 }); day.toISODate()! <= to; day = day.plus({ days: 1 })) {
    if (isWorkingDay(day.toISODate()!)) count++;
  }
  return count;
}

/** The first working day of a month (`yyyy-MM`). */
export function firstWorkingDayOfMonth(month: string): IsoDate {
  return nextWorkingDay(`${month}-01`);
}

/** The first working day on or after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let day = parse(date);
  while (!isWorkingDay(day.toISODate()!)) day = day.plus({ days: 1 });
  return day.toISODate()!;
}
