import { DateTime } from 'luxon';
import { ZONE } from '../domain/calendar';

/** "9 mars" (with the year when it is not the current one). */
export function formatDate(isoDate: string, now = new Date()): string {
  const date = DateTime.fromISO(isoDate, { zone: ZONE }).setLocale('sv');
  return date.year === DateTime.fromJSDate(now, { zone: ZONE }).year ? date.toFormat('d MMMM') : date.toFormat('d MMMM yyyy');
}

/** "torsdag 12 mars 13:00", from a local `yyyy-MM-ddTHH:mm`. */
export function formatLocalDateTime(local: string): string {
  return DateTime.fromISO(local, { zone: ZONE }).setLocale('sv').toFormat('cccc d MMMM HH:mm');
}

/** "2 mars 10:15", from an instant. */
export function formatInstant(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).setLocale('sv').toFormat('d MMMM HH:mm');
}
