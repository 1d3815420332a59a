import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The benchmark's Teams service: the Bot Framework connector REST API on loopback, answering every
 * call at once with what Teams answers (a new channel thread is `<channel id>;messageid=<id>`), so
 * what a load run measures is the bot's own cost. It keeps counts only, never bodies (a run posts
 * tens of thousands of cards). The roster (`members`) answers who is in a team, as Teams does.
 *
 * Routes (a path prefix such as `/_connector` is allowed):
 * - `POST /v3/conversations` → 201 `{ id: "<channelData.channel.id>;messageid=<n>", activityId: "<n>" }`
 * - `POST /v3/conversations/:id/activities[/:replyToId]` → 201 `{ id }`
 * - `PUT /v3/conversations/:id/activities/:activityId` → 200 `{ id }`
 * - `GET /v3/conversations/:id/members/:memberId` → 200 the member of `members`, else 404
 * - `GET /v3/teams/:id` → 200 `{ id, name }`
 * - anything else → 404
 */
export type SinkRoute = 'newThread' | 'post' | 'update' | 'member' | 'team' | 'other';

export interface SinkMember {
  id: string;
  name: string;
  aadObjectId: string;
  tenantId: string;
  userRole: 'user';
}

export interface Sink {
  readonly serviceUrl: string;
  /** Calls answered, by route, since the last `reset`. */
  readonly counts: Record<SinkRoute, number>;
  /** All calls since the last `reset`. */
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: [method: string, pattern: RegExp, route: SinkRoute][] = [
  ['POST', /\/v3\/conversations$/, 'newThread'],
  ['POST', /\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/, 'post'],
  ['PUT', /\/v3\/conversations\/[^/]+\/activities\/([^/]+)$/, 'update'],
  ['GET', /\/v3\/conversations\/[^/]+\/members\/([^/]+)$/, 'member'],
  ['GET', /\/v3\/teams\/([^/]+)$/, 'team'],
];

const empty = (): Record<SinkRoute, number> => ({ newThread: 0, post: 0, update: 0, member: 0, team: 0, other: 0 });

export async function startSink(options: { members?: Record<string, SinkMember> } = {}): Promise<Sink> {
  let counts = empty();
  let next = 0;
  const sockets = new Set<Socket>();
  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let route: SinkRoute = 'other';
    let match: RegExpExecArray | null = null;
    for (const [method, pattern, name] of ROUTES) {
      if (method !== req.method) continue;
      match = pattern.exec(path);
      if (match) {
        route = name;
        break;
      }
    }
    // Only a new thread needs its body read (the channel it goes into); the rest is drained.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      if (route === 'newThread') chunks.push(chunk);
    });
    req.on('end', () => {
      counts[route]++;
      const id = String(++next);
      switch (route) {
        case 'newThread': {
          let channel = 'channel';
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channelData?: { channel?: { id?: unknown } } };
            if (typeof body.channelData?.channel?.id === 'string') channel = body.channelData.channel.id;
          } catch {
            // an unreadable body still gets a thread
          }
          return json(res, 201, { id: `${channel};messageid=${id}`, activityId: id });
        }
        case 'post':
          return json(res, 201, { id });
        case 'update':
          return json(res, 200, { id: decodeURIComponent(match![1]) });
        case 'member': {
          const member = options.members?.[decodeURIComponent(match![1])];
          return member ? json(res, 200, member) : json(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
        }
        case 'team':
          return json(res, 200, { id: decodeURIComponent(match![1]), name: 'Team' });
        default:
          return json(res, 404, { error: { code: 'NotFound', message: 'no such route' } });
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/_connector`,
    get counts() {
      return counts;
    },
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = empty();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
