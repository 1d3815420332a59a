import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render';
import type { StoredConversationReference } from '../store/conversationReference';
import { ConnectorTimeoutError } from './connectorPipeline';
import { Pacer, PacingDeferredError } from './pacing';
import { assertAllowedServiceUrl, ServiceUrlRefusedError, type ServiceHosts } from './serviceUrl';

/**
 * How a failed call to Teams should be treated:
 * - `retry`: worth another try later (throttled, Teams briefly unavailable, no answer in time, a
 *   network fault); `retryAfterMs` when Teams said how long to wait (Retry-After) or the pacer knows.
 * - `gone`: trying again cannot help (the bot was removed: 403; the conversation is gone: 404;
 *   a service URL outside the allow-list; a post that went through without an id).
 * `reason` is short and fixed ("http 429", "timeout", "network", "reset", "refused url", …): it is
 * stored and logged, so it never carries an error's free text.
 */
export type SendFailure = { kind: 'retry'; retryAfterMs?: number; reason: string } | { kind: 'gone'; reason: string };

/** Statuses of the connector worth another try later (Teams' documented throttling and transient errors, and 408/425). */
const RETRY_STATUSES = new Set([401, 408, 412, 425, 429, 500, 502, 503, 504]);

/** Socket-level failures where nothing (or not all) of an answer came back. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'REQUEST_SEND_ERROR']);

/** Waits longer than this for a pacing slot are not made: the call fails as a retry instead (see src/teams/pacing.ts). */
const DEFAULT_MAX_PACE_WAIT_MS = 30_000;
/** The Connector's own bound on one call, beyond the HTTP timeout, for what happens around the request. */
const DEADLINE_SLACK_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 5_000;

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The post went through but Teams gave no id: posting again would duplicate it. */
export class PostedWithoutIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostedWithoutIdError';
  }
}

/** How a failed call should be treated; `now` (ms since the epoch) turns a Retry-After date into a wait. */
export function sendFailureOf(error: unknown, now: number = Date.now()): SendFailure {
  if (error instanceof ServiceUrlRefusedError) return { kind: 'gone', reason: 'refused url' };
  if (error instanceof PostedWithoutIdError) return { kind: 'gone', reason: 'posted without id' };
  if (error instanceof PacingDeferredError) return { kind: 'retry', retryAfterMs: Math.ceil(error.waitMs), reason: 'paced' };
  if (error instanceof ConnectorTimeoutError) return { kind: 'retry', reason: 'timeout' };
  const status = statusOf(error);
  if (status !== undefined && status >= 400) {
    const reason = `http ${status}`;
    if (RETRY_STATUSES.has(status) || status >= 500) {
      const retryAfterMs = retryAfterOf(error, now);
      return retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', retryAfterMs, reason };
    }
    // 403 (removed from the team), 404 (conversation gone), and requests Teams will refuse again as
    // they are (400, 413, …). A 401 is retried: the bot's own credentials, fixed by an operator,
    // must not have given up every send in the meantime (SEND_GIVE_UP_HOURS bounds it).
    return { kind: 'gone', reason };
  }
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { kind: 'retry', reason: 'timeout' };
    if (RESET_CODES.has(code)) return { kind: 'retry', reason: 'reset' };
    if (NETWORK_CODES.has(code)) return { kind: 'retry', reason: 'network' };
  }
  if ((error as { name?: unknown })?.name === 'AbortError') return { kind: 'retry', reason: 'aborted' };
  // Anything else (a status outside 4xx/5xx, a fault in botbuilder): later is not worse than never;
  // the outbox gives up after its own bound.
  return { kind: 'retry', reason: 'error' };
}

/**
 * The wait Teams asked for, in milliseconds: `Retry-After` as seconds or as an HTTP date (also
 * `retry-after-ms` / `x-ms-retry-after-ms`), from a RestError's `response.headers`.
 */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  const headers = (error as { response?: { headers?: unknown } })?.response?.headers;
  const header = (name: string): string | undefined => {
    if (!headers || typeof headers !== 'object') return undefined;
    const get = (headers as { get?: unknown }).get;
    const value = typeof get === 'function' ? (get as (n: string) => unknown).call(headers, name) : (headers as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = header(name);
    if (value && /^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  }
  const value = header('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

export interface ConnectorOptions {
  /**
   * The Connector's bound on one call once its slot has come: the HTTP timeout of the adapter's
   * connector clients (the same setting) plus a second for what happens around the request.
   * Default: the adapter's `connectorTimeoutMs`, else 5 s.
   */
  timeoutMs?: number;
  /** Default: a real-time Pacer with Teams' limits. One per process: share it between Connectors. */
  pacer?: Pacer;
  /** A call whose pacing slot is further away fails as a retry ('paced') instead of waiting. Default 30 s. */
  maxPaceWaitMs?: number;
  /** Wall clock for Retry-After dates (default Date.now). */
  now?: () => number;
}

/**
 * Every call the bot makes to Teams on its own initiative (proactive), and the ones handlers make
 * outside the turn's reply. Each call:
 * 1. checks the conversation's service URL against the allow-list (a stored reference could come
 *    from a forged activity, or from another environment's data): a refused URL throws a
 *    ServiceUrlRefusedError, gone for good, before anything is sent;
 * 2. takes a pacing slot (src/teams/pacing.ts) for its thread (the conversation id) or, for a new
 *    post in a channel, for the channel, so bursts stay within Teams' limits;
 * 3. makes exactly one HTTP request, with the adapter's timeout and no retries below it.
 * A failure is thrown as it came (RestError, ConnectorTimeoutError, …); `failureOf` says what it
 * means. Retries are never made here: the outbox and the passes schedule them.
 */
export class Connector {
  private readonly serviceHosts: ServiceHosts;
  private readonly pacer: Pacer;
  private readonly deadlineMs: number;
  private readonly maxPaceWaitMs: number;
  private readonly now: () => number;

  /**
   * `serviceHosts`: where it may send (`config.serviceHosts`). Without it, the list of the adapter
   * (createAdapter's adapter carries the configuration's); with neither, loopback only.
   */
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    serviceHosts?: ServiceHosts,
    options: ConnectorOptions = {},
  ) {
    const carried = adapter as { serviceHosts?: ServiceHosts; connectorTimeoutMs?: number };
    this.serviceHosts = serviceHosts ?? carried.serviceHosts ?? { loopbackOnly: true };
    this.deadlineMs = (options.timeoutMs ?? carried.connectorTimeoutMs ?? DEFAULT_TIMEOUT_MS) + DEADLINE_SLACK_MS;
    this.pacer = options.pacer ?? new Pacer();
    this.maxPaceWaitMs = options.maxPaceWaitMs ?? DEFAULT_MAX_PACE_WAIT_MS;
    this.now = options.now ?? Date.now;
  }

  /** What a failure of one of this Connector's calls means for a retry. */
  failureOf(error: unknown): SendFailure {
    return sendFailureOf(error, this.now());
  }

  /** Starts a new thread in a channel with the card; returns the thread's conversation id and the card's activity id. */
  async startThread(channel: { serviceUrl: string; tenantId: string; channelId: string }, card: AdaptiveCardJson): Promise<{ threadId: string; activityId: string }> {
    assertAllowedServiceUrl(channel.serviceUrl, this.serviceHosts);
    return this.call(channel.channelId, async () => {
      let threadId = '';
      await this.inTurn(
        (logic) =>
          this.adapter.createConversationAsync(
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
            logic,
          ),
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
    await this.continueIn(reference, async (context) => {
      await context.updateActivity({ ...cardActivity(card), id: activityId });
    });
  }

  /** Posts a card in a conversation (in a thread: a reply in that thread); returns its activity id. */
  async sendCard(reference: StoredConversationReference, card: AdaptiveCardJson): Promise<string> {
    let id = '';
    await this.continueIn(reference, async (context) => {
      id = (await context.sendActivity(cardActivity(card)))?.id ?? '';
    });
    if (!id) throw new PostedWithoutIdError('the connector returned no activity id');
    return id;
  }

  /** Posts a text in a conversation (in a thread: a reply in that thread); returns its activity id ('' when Teams gave none). */
  async sendText(reference: StoredConversationReference, text: string): Promise<string> {
    let id = '';
    await this.continueIn(reference, async (context) => {
      id = (await context.sendActivity(MessageFactory.text(text)))?.id ?? '';
    });
    return id;
  }

  /** Replaces a message the bot posted earlier (a card or a text) with a plain text. */
  async updateText(reference: StoredConversationReference, activityId: string, text: string): Promise<void> {
    await this.continueIn(reference, async (context) => {
      await context.updateActivity({ ...MessageFactory.text(text), id: activityId });
    });
  }

  private continueIn(reference: StoredConversationReference, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    assertAllowedServiceUrl(reference.serviceUrl, this.serviceHosts);
    return this.call(reference.conversation.id, () =>
      this.inTurn((wrapped) => this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, wrapped), logic),
    );
  }

  /**
   * Runs `logic` in a proactive turn and throws what it threw. botbuilder runs the logic inside its
   * middleware, which hands an error to the adapter's onTurnError (teams-ai's app.error: a "turn
   * failed" log) and returns normally; the error is caught inside and thrown after, so the caller
   * sees the RestError itself and the log is not filled with sends the outbox will retry.
   */
  private async inTurn(run: (logic: (context: TurnContext) => Promise<void>) => Promise<void>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await run(async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /** One paced call, bounded in time once its slot has come. */
  private async call<T>(key: string, work: () => Promise<T>): Promise<T> {
    await this.pacer.take(key, { maxWaitMs: this.maxPaceWaitMs });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectorTimeoutError(this.deadlineMs)), this.deadlineMs);
    });
    const done = work();
    done.catch(() => undefined);
    try {
      return await Promise.race([done, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
