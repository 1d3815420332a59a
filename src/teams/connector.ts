import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { AdaptiveCardJson } from '../cards/render';
import type { StoredConversationReference } from '../store/conversationReference';
import { assertAllowedServiceUrl, ServiceUrlRefusedError, type ServiceHosts } from './serviceUrl';

/** HTTP statuses of the connector worth another try soon (Teams' documented throttling and transient errors). */
const TRANSIENT = new Set([412, 429, 500, 502, 503, 504]);
/** The bot is no longer in the team or chat: retrying will not help. */
const PERMANENT = new Set([401, 403, 404]);

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof PostedWithoutIdError || error instanceof ServiceUrlRefusedError) return true;
  const status = statusOf(error);
  return status !== undefined && PERMANENT.has(status);
}

/** The post went through but Teams gave no id: posting again would duplicate it. */
export class PostedWithoutIdError extends Error {}

const transient = handleWhen((error) => {
  if (error instanceof PostedWithoutIdError || error instanceof ServiceUrlRefusedError) return false;
  const status = statusOf(error);
  return status === undefined ? true : TRANSIENT.has(status);
});

/** One quick retry with exponential backoff; what still fails is retried later by the outbox. */
const policy = retry(transient, { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }) });

function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * Sends and updates messages in Teams conversations on the bot's own initiative (proactive). Every
 * call first checks the conversation's service URL against the allow-list (a stored reference
 * could come from a forged activity, or from another environment's data): a refused URL throws a
 * ServiceUrlRefusedError, a permanent failure, before anything is sent.
 */
export class Connector {
  private readonly serviceHosts: ServiceHosts;

  /**
   * `serviceHosts`: where it may send (`config.serviceHosts`). Without it, the list of the adapter
   * (createAdapter's adapter carries the configuration's); with neither, loopback only.
   */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    serviceHosts?: ServiceHosts,
  ) {
    this.serviceHosts = serviceHosts ?? (adapter as { serviceHosts?: ServiceHosts }).serviceHosts ?? { loopbackOnly: true };
  }

  private check(serviceUrl: unknown): void {
    assertAllowedServiceUrl(serviceUrl, this.serviceHosts);
  }

  /** Starts a new thread in a channel with the card; returns the thread's conversation id and the card's activity id. */
  async startThread(channel: { serviceUrl: string; tenantId: string; channelId: string }, card: AdaptiveCardJson): Promise<{ threadId: string; activityId: string }> {
    this.check(channel.serviceUrl);
    return policy.execute(async () => {
      let threadId = '';
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        channel.serviceUrl,
        null as unknown as string,
        {
          isGroup: true,
          channelData: { channel: { id: channel.channelId }, tenant: { id: channel.tenantId } },
          tenantId: channel.tenantId,
          activity: cardActivity(card),
        } as never,
        async (context) => {
          threadId = context.activity.conversation.id;
        },
      );
      // botbuilder drops the activity id the connector returns; Teams puts it in the thread id.
      const activityId = threadId.split(';messageid=')[1];
      if (!activityId) throw new PostedWithoutIdError('the connector returned no thread id');
      return { threadId, activityId };
    });
  }

  /** Replaces a card the bot posted earlier, for everyone who sees it. */
  async updateCard(reference: StoredConversationReference, activityId: string, card: AdaptiveCardJson): Promise<void> {
    this.check(reference.serviceUrl);
    await policy.execute(() =>
      this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
        await context.updateActivity({ ...cardActivity(card), id: activityId });
      }),
    );
  }

  /** Posts a card in a conversation (in a thread: a reply in that thread); returns its activity id. */
  async sendCard(reference: StoredConversationReference, card: AdaptiveCardJson): Promise<string> {
    this.check(reference.serviceUrl);
    return policy.execute(async () => {
      let id = '';
      await this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
        id = (await context.sendActivity(cardActivity(card)))?.id ?? '';
      });
      if (!id) throw new PostedWithoutIdError('the connector returned no activity id');
      return id;
    });
  }

  classify(error: unknown): 'permanent' | 'transient' {
    return isPermanentFailure(error) ? 'permanent' : 'transient';
  }

  /** Posts a text in a conversation (in a thread: a reply in that thread). */
  async sendText(reference: StoredConversationReference, text: string): Promise<void> {
    this.check(reference.serviceUrl);
    await policy.execute(() =>
      this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
        await context.sendActivity(MessageFactory.text(text));
      }),
    );
  }
}
