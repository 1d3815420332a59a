import { z } from 'zod';

/**
 * The shape an incoming Bot Framework activity must have before botbuilder and the handlers see
 * it: what they read without checking (ids, the conversation, who sent it, where to answer) and the
 * types of what they read with checks. Permissive about everything else (Teams adds fields over
 * time): unknown fields pass through untouched. Checked against what Teams documents and what the
 * Agents Playground sends for messages, card actions (adaptiveCard/action), installationUpdate and
 * conversationUpdate.
 */

/**
 * An id the connector puts into a URL path (conversations/{id}/activities/{id}, members/{id},
 * teams/{id}): "." and ".." would be resolved as path segments and send the call elsewhere.
 */
const id = z
  .string()
  .min(1)
  .max(1024)
  .refine((v) => v !== '.' && v !== '..', 'a dot segment');
const optionalId = z
  .string()
  .max(1024)
  .refine((v) => v !== '.' && v !== '..', 'a dot segment')
  .optional();
const text = z.string().max(100_000);
const optionalText = text.optional();
/** A timestamp botbuilder turns into a Date: it must parse, or the turn's clock reads Invalid Date. */
const timestamp = z
  .string()
  .max(64)
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a timestamp')
  .optional();
const record = z.record(z.unknown());

const account = z
  .object({
    id,
    name: optionalText,
    aadObjectId: optionalText,
    role: optionalText,
  })
  .passthrough();

const conversation = z
  .object({
    id,
    tenantId: optionalText,
    conversationType: optionalText,
    isGroup: z.boolean().optional(),
    name: optionalText,
  })
  .passthrough();

/** Teams' channelData: the parts the bot reads are objects with string ids and names. */
const namedThing = z.object({ id: optionalId, name: optionalText }).passthrough();
const channelData = z
  .object({
    tenant: namedThing.optional(),
    team: namedThing.optional(),
    channel: namedThing.optional(),
    eventType: optionalText,
    settings: record.optional(),
  })
  .passthrough();

/** botbuilder reads every entity's `type`, and a mention's `mentioned.id`, without checking. */
const entity = z
  .object({ type: z.string().max(200) })
  .passthrough()
  .superRefine((e, ctx) => {
    if (e.type.toLowerCase() !== 'mention') return;
    const mention = z.object({ mentioned: z.object({ id: z.string() }).passthrough(), text: optionalText }).passthrough();
    if (!mention.safeParse(e).success) ctx.addIssue({ code: 'custom', message: 'mention without mentioned.id' });
  });

const attachment = z.object({ contentType: z.string().max(200) }).passthrough();

/** An Action.Execute click (invoke `adaptiveCard/action`) as Teams sends it. */
const actionExecuteValue = z
  .object({
    action: z
      .object({
        type: z.string().max(100),
        verb: z.string().max(200).optional(),
        id: optionalText,
        data: record.optional(),
      })
      .passthrough(),
    trigger: z.string().max(100).optional(),
  })
  .passthrough();

export const activitySchema = z
  .object({
    type: z.string().min(1).max(100),
    id: optionalId,
    name: z.string().max(200).optional(),
    action: z.string().max(200).optional(),
    channelId: z.string().min(1).max(100),
    serviceUrl: z.string().min(1).max(2048),
    conversation,
    from: account,
    recipient: account,
    text: optionalText,
    textFormat: z.string().max(100).optional(),
    locale: z.string().max(100).optional(),
    replyToId: optionalId,
    timestamp,
    localTimestamp: timestamp,
    expiration: timestamp,
    channelData: channelData.optional(),
    value: record.optional(),
    entities: z.array(entity).max(500).optional(),
    attachments: z.array(attachment).max(100).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
    deliveryMode: z.string().max(100).optional(),
  })
  .passthrough()
  .superRefine((a, ctx) => {
    if (a.type === 'invoke' && a.name === 'adaptiveCard/action') {
      if (!actionExecuteValue.safeParse(a.value).success) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'adaptiveCard/action without value.action' });
      }
      // The bot answers a card action by replacing the card it was taken on.
      if (!a.replyToId) ctx.addIssue({ code: 'custom', path: ['replyToId'], message: 'adaptiveCard/action without replyToId' });
    }
    // botbuilder strips the bot's @mention out of the text, so a mention needs the text it is in.
    if (a.type === 'message' && a.text === undefined && a.entities?.some((e) => e.type.toLowerCase() === 'mention')) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'mention in a message without text' });
    }
  });

export type CheckedActivity = z.infer<typeof activitySchema>;

/**
 * Drops top-level nulls (JSON senders write absent fields as null) and checks the shape. The
 * problems are for the log only: the client gets a bare 400.
 */
export function checkActivity(body: unknown): { activity: CheckedActivity } | { problems: string[] } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { problems: ['body is not a JSON object'] };
  const withoutNulls = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  const result = activitySchema.safeParse(withoutNulls);
  if (result.success) return { activity: result.data };
  return { problems: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(activity)'}: ${i.message}`) };
}
