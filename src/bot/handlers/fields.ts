import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from '../../domain/calendar';
import { containsPersonalIdentityNumber } from '../../domain/privacy';

/** Free text from a card: refused when it holds a personnummer (the guard sees the whole text), then trimmed and bounded. */
export const guarded = (max: number) =>
  z
    .string()
    .refine((v) => !containsPersonalIdentityNumber(v), { message: 'personnummer' })
    .pipe(z.string().trim().max(max, 'tooLong'));

/** A date input's value: empty, or a real `yyyy-MM-dd` day. */
export const dateOrEmpty = z
  .string()
  .trim()
  .refine((v) => v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && DateTime.fromISO(v, { zone: ZONE }).isValid), { message: 'date' });

/** A toggle's value as Teams sends it. */
export const toggle = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');
