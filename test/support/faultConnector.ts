import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A Teams service (the Bot Framework connector REST API) on loopback that can misbehave, per
 * conversation, the way a real one does: for tests of what the bot does when Teams throttles,
 * fails, resets or hangs.
 *
 * The API subset, as Teams answers it (ids alike: a new channel thread is
 * `<channel id>;messageid=<activity id>`):
 * - `POST /v3/conversations` (a new thread in `channelData.channel.id`) → 201 `{ id, activityId }`
 * - `POST /v3/conversations/:id/activities` and `POST /v3/conversations/:id/activities/:replyToId`
 *   → 201 `{ id }`
 * - `PUT /v3/conversations/:id/activities/:activityId` → 200 `{ id }`
 * - `GET /v3/conversations/:id/members/:memberId` → 200 the member from `options.members`, else
 *   404 `MemberNotFoundInConversation`
 * - anything else → 404; errors as `{ error: { code, message } }`.
 * Paths may carry a prefix (`serviceUrl` ends in `/_connector`, as the Agents Playground's does).
 *
 * Usage:
 * ```ts
 * const teams = await startFaultConnector();
 * teams.setMode('19:a@thread.tacv2', { status: 429, retryAfter: 30 });  // throttled
 * teams.setMode('19:b@thread.tacv2', 'hang');                            // accepts, never answers
 * teams.setMode('19:c@thread.tacv2', 'reset');                           // drops the connection
 * ... point conversation references at teams.serviceUrl ...
 * teams.count('19:a@thread.tacv2');  // requests that reached it for that conversation
 * await teams.close();
 * ```
 * A mode is looked up by the request's key (the conversation id; for `POST /v3/conversations` the
 * channel id), then by that key without its `;messageid=…` (so a channel's mode covers its
 * threads), then `options.defaultMode`. `unreachableServiceUrl()` gives a loopback URL on a port
 * nothing listens on (connection refused).
 *
 * With `enforceTeamsLimits` it also throttles like Teams: a call beyond 7 in 1 s, 8 in 2 s, 60 in
 * 30 s or 1,800 in an hour for its key, or beyond 50 in 1 s over all keys, is answered 429 with
 * `Retry-After: 1`; measured on `options.now` (pass a virtual clock's), counting calls it accepted.
 */
export type FaultMode =
  /** Answers as Teams does. */
  | 'ok'
  /** Answers with this status (`retryAfter`: seconds or an HTTP date, sent as `Retry-After`). */
  | { status: number; retryAfter?: number | string; code?: string }
  /** Reads the request, then destroys the connection without an answer. */
  | 'reset'
  /** Reads the request and never answers (until `close`). */
  | 'hang';

export type ConnectorRoute =
  | 'POST /v3/conversations'
  | 'POST /v3/conversations/:id/activities'
  | 'POST /v3/conversations/:id/activities/:activityId'
  | 'PUT /v3/conversations/:id/activities/:activityId'
  | 'GET /v3/conversations/:id/members/:memberId'
  | 'other';

export interface ConnectorRequest {
  method: string;
  route: ConnectorRoute;
  /** The conversation id (for POST /v3/conversations, the channel id): what modes and limits go by. */
  key: string;
  activityId?: string;
  /** `options.now()` when the request arrived. */
  at: number;
  body: unknown;
  /** The status answered, or what happened instead. */
  outcome: number | 'reset' | 'hang';
}

export interface Delivery {
  /** The conversation the activity is in (for a new thread: the thread's id). */
  conversationId: string;
  activityId: string;
  route: ConnectorRoute;
  activity: { type?: string; text?: string; attachments?: { contentType?: string; content?: unknown }[]; [key: string]: unknown };
}

export interface FaultConnectorOptions {
  /** The mode of keys without their own (default 'ok'). */
  defaultMode?: FaultMode;
  /** Throttle like Teams (see above). */
  enforceTeamsLimits?: boolean;
  /** The clock for `at` and the limits, in ms (default Date.now). */
  now?: () => number;
  /** Members `GET …/members/:memberId` knows, by member id. */
  members?: Record<string, Record<string, unknown>>;
}

export interface FaultConnector {
  /** The serviceUrl to put in conversation references and activities. */
  readonly serviceUrl: string;
  setMode(key: string, mode: FaultMode): void;
  /** Every request that arrived, in order. */
  readonly requests: readonly ConnectorRequest[];
  /** Activities posted, updated and threads started (answered 200/201 only). */
  readonly deliveries: readonly Delivery[];
  /** Requests that arrived, for one key (conversation or channel id) or in all. */
  count(key?: string): number;
  /** Calls answered 429 because they went beyond Teams' limits. */
  readonly throttled: number;
  close(): Promise<void>;
}

const TEAMS_THREAD_WINDOWS = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];
const TEAMS_TENANT_WINDOWS = [{ limit: 50, ms: 1_000 }];

const ROUTES: [method: string, pattern: RegExp, route: ConnectorRoute][] = [
  ['POST', /\/v3\/conversations$/, 'POST /v3/conversations'],
  ['POST', /\/v3\/conversations\/([^/]+)\/activities$/, 'POST /v3/conversations/:id/activities'],
  ['POST', /\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, 'POST /v3/conversations/:id/activities/:activityId'],
  ['PUT', /\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, 'PUT /v3/conversations/:id/activities/:activityId'],
  ['GET', /\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/, 'GET /v3/conversations/:id/members/:memberId'],
];

/** Whether one more call at `at` stays within the windows, given the accepted calls' instants. */
function withinLimits(accepted: number[], windows: { limit: number; ms: number }[], at: number): boolean {
  return windows.every(({ limit, ms }) => {
    let inWindow = 0;
    for (let i = accepted.length - 1; i >= 0 && accepted[i] > at - ms; i--) inWindow++;
    return inWindow + 1 <= limit;
  });
}

export async function startFaultConnector(options: FaultConnectorOptions = {}): Promise<FaultConnector> {
  const now = options.now ?? Date.now;
  const modes = new Map<string, FaultMode>();
  const requests: ConnectorRequest[] = [];
  const deliveries: Delivery[] = [];
  const acceptedByKey = new Map<string, number[]>();
  const acceptedAll: number[] = [];
  const sockets = new Set<Socket>();
  let throttled = 0;
  let next = 0;

  const modeOf = (key: string): FaultMode => modes.get(key) ?? modes.get(key.split(';messageid=')[0]) ?? options.defaultMode ?? 'ok';
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
    json(res, status, { error: { code, message } }, headers);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = now();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let route: ConnectorRoute = 'other';
    let match: RegExpExecArray | null = null;
    for (const [method, pattern, name] of ROUTES) {
      if (method !== req.method) continue;
      match = pattern.exec(path);
      if (match) {
        route = name;
        break;
      }
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const conversationId = match?.[1] ? decodeURIComponent(match[1]) : undefined;
      const pathActivityId = match?.[2] ? decodeURIComponent(match[2]) : undefined;
      const channelId = (body as { channelData?: { channel?: { id?: unknown } } } | undefined)?.channelData?.channel?.id;
      const key = route === 'POST /v3/conversations' ? (typeof channelId === 'string' ? channelId : 'no-channel') : (conversationId ?? 'other');
      const request: ConnectorRequest = { method: req.method ?? '', route, key, activityId: pathActivityId, at, body, outcome: 0 };
      requests.push(request);

      const mode = modeOf(key);
      if (mode === 'hang') {
        request.outcome = 'hang';
        return;
      }
      if (mode === 'reset') {
        request.outcome = 'reset';
        req.socket.destroy();
        return;
      }
      const answer = (status: number, send: () => void) => {
        request.outcome = status;
        send();
      };
      if (mode !== 'ok') {
        const headers: Record<string, string> = mode.retryAfter !== undefined ? { 'retry-after': String(mode.retryAfter) } : {};
        return answer(mode.status, () => error(res, mode.status, mode.code ?? `Status${mode.status}`, 'fault injected by the test', headers));
      }
      if (route === 'other') return answer(404, () => error(res, 404, 'NotFound', 'no such route'));
      if (route === 'GET /v3/conversations/:id/members/:memberId') {
        const member = options.members?.[pathActivityId ?? ''];
        return member
          ? answer(200, () => json(res, 200, member))
          : answer(404, () => error(res, 404, 'MemberNotFoundInConversation', 'The member is not in the conversation.'));
      }
      if (options.enforceTeamsLimits) {
        const accepted = acceptedByKey.get(key) ?? [];
        if (!withinLimits(accepted, TEAMS_THREAD_WINDOWS, at) || !withinLimits(acceptedAll, TEAMS_TENANT_WINDOWS, at)) {
          throttled++;
          return answer(429, () => error(res, 429, 'Throttled', 'too many requests', { 'retry-after': '1' }));
        }
        accepted.push(at);
        acceptedByKey.set(key, accepted);
        acceptedAll.push(at);
      }
      const activity = ((body as { activity?: unknown } | undefined)?.activity ?? body ?? {}) as Delivery['activity'];
      const id = String(++next);
      switch (route) {
        case 'POST /v3/conversations': {
          const threadId = `${key};messageid=${id}`;
          deliveries.push({ conversationId: threadId, activityId: id, route, activity });
          return answer(201, () => json(res, 201, { id: threadId, activityId: id }));
        }
        case 'POST /v3/conversations/:id/activities':
        case 'POST /v3/conversations/:id/activities/:activityId':
          deliveries.push({ conversationId: key, activityId: id, route, activity });
          return answer(201, () => json(res, 201, { id }));
        case 'PUT /v3/conversations/:id/activities/:activityId':
          deliveries.push({ conversationId: key, activityId: pathActivityId!, route, activity });
          return answer(200, () => json(res, 200, { id: pathActivityId }));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/_connector`,
    setMode: (key, mode) => void modes.set(key, mode),
    requests,
    deliveries,
    count: (key) => (key === undefined ? requests.length : requests.filter((r) => r.key === key).length),
    get throttled() {
      return throttled;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback service URL on a port nothing listens on (taken from the OS, then let go): connections are refused. */
export async function unreachableServiceUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/_connector`;
}
