import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { auditEntrySchema } from './auditRepository';
import { postSchema } from './postRepository';
import { threadSchema } from './threadRepository';
import { userMeetingSchema } from './userMeetingRepository';

/**
 * What a change causes besides itself: its audit row, the links that find the meeting again, a
 * reconciliation of the meeting's reminders. Written inside the changed entity, in the same write
 * as the change, and carried out afterwards (at once, or by the outbox after a crash); each has an
 * id, so carrying it out twice writes it once.
 */
export const effectSchema = z.object({
  id: z.string().regex(/^e[0-9a-f]{12}$/),
  audit: auditEntrySchema.omit({ id: true }).optional(),
  userMeeting: userMeetingSchema.optional(),
  thread: threadSchema.optional(),
  /** The meeting whose reminders follow the change. */
  reminders: z.string().min(1).optional(),
  /** A message posted about the case, to be found again when the case is erased. */
  post: postSchema.optional(),
  /** The meeting whose plan cards show the change. */
  plans: z.string().min(1).optional(),
});

export type Effect = z.infer<typeof effectSchema>;
export type AuditInput = NonNullable<Effect['audit']>;

export const effectsField = z.array(effectSchema).optional();

/** One effect of a change, with an id of its own. */
export function effect(parts: Omit<Effect, 'id'>): Effect {
  return { id: `e${randomBytes(6).toString('hex')}`, ...parts };
}

/** An audit row as an effect, details defaulting to none. */
export function auditEffect(entry: Omit<AuditInput, 'details'> & { details?: AuditInput['details'] }): Effect {
  return effect({ audit: { ...entry, details: entry.details ?? {} } });
}
