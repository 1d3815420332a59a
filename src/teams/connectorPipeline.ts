/**
 * What every connector client botbuilder creates is changed to (src/bot/adapter.ts applies it to
 * each one): no retries inside the HTTP pipeline, no redirects, and a timeout on each request.
 *
 * botbuilder's ConnectorClient is a botbuilder-stdlib ServiceClientContext whose `client` is an
 * @azure/core-client ServiceClient. Its pipeline (core-rest-pipeline 1.24, checked at runtime) is
 * serializationPolicy, proxyPolicy, decompressResponsePolicy, wrapAbortSignalLikePolicy,
 * formDataPolicy, userAgentPolicy, setClientRequestIdPolicy,
 * ServiceClientContext_RequestPolicyFactories, ServiceClientContext_Credentials_SignRequest,
 * deserializationPolicy, multipartPolicy, defaultRetryPolicy, tracingPolicy, redirectPolicy,
 * logPolicy. `defaultRetryPolicy` (throttling and exponential strategies, 3 retries) is what held
 * a user's request 100 s on a 429 with Retry-After 30: ConnectorClientOptions.noRetryPolicy is
 * ignored by ServiceClientContext. Retries belong to the outbox, which schedules them.
 */

/** The few members of a core-rest-pipeline Pipeline used here (the package is botbuilder's dependency, not ours). */
interface PipelineRequestLike {
  abortSignal?: AbortSignalLikeish;
}
interface AbortSignalLikeish {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
interface PipelinePolicyLike {
  name: string;
  sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<unknown>): Promise<unknown>;
}
interface PipelineLike {
  getOrderedPolicies(): { name: string }[];
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: PipelinePolicyLike, options?: { phase?: 'Serialize' | 'Deserialize' | 'Retry' | 'Sign'; beforePolicies?: string[] }): void;
}

/**
 * Policies that would send a request again on their own: the retries, and the redirect policy,
 * which would also take a call to a host the service-URL allow-list never saw (the connector API
 * does not redirect).
 */
const HIDDEN_REPEATS = /retry|redirect/i;

export const TIMEOUT_POLICY_NAME = 'norrbusTimeoutPolicy';

/** A call to Teams got no (complete) answer within its time: it may or may not have arrived. */
export class ConnectorTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer from the connector within ${timeoutMs} ms`);
    this.name = 'ConnectorTimeoutError';
  }
}

/**
 * Aborts a request (the socket is destroyed) and rejects with a ConnectorTimeoutError when the
 * whole of it, signing (token) included, has not ended after `timeoutMs`. It rejects on time even
 * when something below ignores the abort signal.
 */
export function timeoutPolicy(timeoutMs: number): PipelinePolicyLike {
  return {
    name: TIMEOUT_POLICY_NAME,
    async sendRequest(request, next) {
      const controller = new AbortController();
      const outer = request.abortSignal;
      const forward = () => controller.abort();
      if (outer?.aborted) controller.abort();
      outer?.addEventListener('abort', forward);
      request.abortSignal = controller.signal;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ConnectorTimeoutError(timeoutMs));
        }, timeoutMs);
      });
      const sent = next(request);
      // When the timeout wins, what the request rejects with later (an AbortError) is not news.
      sent.catch(() => undefined);
      try {
        return await Promise.race([sent, expired]);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', forward);
      }
    },
  };
}

/**
 * Removes the pipeline's retry and redirect policies from one connector client and puts the
 * timeout policy first. Returns the names removed. Throws when the client has no pipeline where
 * botbuilder 4.23 keeps it: sending with hidden retries is worse than not starting.
 */
export function hardenConnectorClient(connectorClient: unknown, timeoutMs: number): string[] {
  const pipeline = (connectorClient as { client?: { pipeline?: PipelineLike } } | undefined)?.client?.pipeline;
  if (!pipeline || typeof pipeline.getOrderedPolicies !== 'function' || typeof pipeline.removePolicy !== 'function') {
    throw new Error('connector client without the expected HTTP pipeline (botbuilder changed?)');
  }
  const removed: string[] = [];
  for (const { name } of pipeline.getOrderedPolicies()) {
    if (name === TIMEOUT_POLICY_NAME) return removed;
    if (HIDDEN_REPEATS.test(name)) {
      pipeline.removePolicy({ name });
      removed.push(name);
    }
  }
  pipeline.addPolicy(timeoutPolicy(timeoutMs), { phase: 'Serialize', beforePolicies: ['serializationPolicy'] });
  return removed;
}
