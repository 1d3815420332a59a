import autocannon from 'autocannon';

/** One load run's figures: what the client saw. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Requests answered otherwise than 2xx, with a body the check refused, or not at all. */
  failed: number;
}

export interface LoadOptions {
  /** The bot's `/api/messages`. */
  endpoint: string;
  connections: number;
  /** Run this long (s), or until `amount` requests are done. */
  seconds?: number;
  amount?: number;
  /** The next activity to post (called once per request). */
  next: () => Record<string, unknown>;
  /** Whether an answer's body is right for the scenario. */
  verify?: (body: string) => boolean;
}

/** Posts activities with `connections` concurrent keep-alive connections (autocannon, one request in flight on each). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.endpoint,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds }),
    timeout: 10,
    verifyBody: options.verify,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify(options.next()) }),
      },
    ],
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts + result.mismatches,
  };
}
