import { z } from 'zod';

/**
 * A Bot Framework conversation reference, kept as the JSON that the Teams layer produced. The store
 * only checks the parts it needs to address a conversation later; it never interprets the rest.
 */
export const conversationReferenceSchema = z
  .object({
    serviceUrl: z.string().url(),
    channelId: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

export type StoredConversationReference = z.infer<typeof conversationReferenceSchema>;
