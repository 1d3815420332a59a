import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Teams service (the Bot Framework connector REST API) on loopback: answers
 * posts and updates with plausible ids, and knows no members (a roster lookup is a 404, as for
 * someone outside the team), so it vouches for nobody. Counts what the bot asked of it. For a
 * Teams that throttles, fails, resets or hangs, see test/support/faultConnector.ts.
 */
export interface FakeConnector {
  /** The serviceUrl to put in activities. */
  serviceUrl: string;
  /** Requests by "METHOD route", e.g. "POST /v3/conversations/:id/activities". */
  calls: Record<string, number>;
  close(): Promise<void>;
}

const ROUTES: [method: string, pattern: RegExp, name: string][] = [
  ['POST', /\/v3\/conversations$/, 'POST /v3/conversations'],
  ['POST', /\/v3\/conversations\/[^/]+\/activities$/, 'POST /v3/conversations/:id/activities'],
  ['POST', /\/v3\/conversations\/[^/]+\/activities\/[^/]+$/, 'POST /v3/conversations/:id/activities/:id'],
  ['PUT', /\/v3\/conversations\/[^/]+\/activities\/[^/]+$/, 'PUT /v3/conversations/:id/activities/:id'],
  ['DELETE', /\/v3\/conversations\/[^/]+\/activities\/[^/]+$/, 'DELETE /v3/conversations/:id/activities/:id'],
  ['GET', /\/v3\/conversations\/[^/]+\/members\/[^/]+$/, 'GET /v3/conversations/:id/members/:id'],
  ['GET', /\/v3\/conversations\/[^/]+\/(paged)?members$/, 'GET /v3/conversations/:id/members'],
  ['GET', /\/v3\/teams\/[^/]+$/, 'GET /v3/teams/:id'],
  ['GET', /\/v3\/teams\/[^/]+\/conversations$/, 'GET /v3/teams/:id/conversations'],
];

/** `refuseAll`: answer every call with that status instead (a Teams service that turns the bot away). */
export async function startFakeConnector(options: { refuseAll?: number } = {}): Promise<FakeConnector> {
  const calls: Record<string, number> = {};
  let next = 0;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const route = ROUTES.find(([method, pattern]) => method === req.method && pattern.test(new URL(req.url ?? '/', 'http://x').pathname));
      const name = route?.[2] ?? `${req.method} (other)`;
      calls[name] = (calls[name] ?? 0) + 1;
      const id = `fake-${++next}`;
      if (options.refuseAll) return json(res, options.refuseAll, { error: { code: 'Forbidden', message: 'refused by the test' } });
      switch (name) {
        case 'POST /v3/conversations': {
          let channelId = 'fake-channel';
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { channelData?: { channel?: { id?: string } } };
            channelId = body.channelData?.channel?.id ?? channelId;
          } catch {
            // keep the default
          }
          return json(res, 201, { id: `${channelId};messageid=${next}`, activityId: String(next) });
        }
        case 'POST /v3/conversations/:id/activities':
        case 'POST /v3/conversations/:id/activities/:id':
        case 'PUT /v3/conversations/:id/activities/:id':
          return json(res, 200, { id });
        case 'DELETE /v3/conversations/:id/activities/:id':
          return json(res, 200, {});
        case 'GET /v3/conversations/:id/members/:id':
          return json(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not in the conversation.' } });
        case 'GET /v3/conversations/:id/members':
          return json(res, 200, path.endsWith('pagedmembers') ? { members: [] } : []);
        case 'GET /v3/teams/:id':
          return json(res, 200, { id: 'fake-team', name: 'Fake team' });
        case 'GET /v3/teams/:id/conversations':
          return json(res, 200, { conversations: [] });
        default:
          return json(res, 404, { error: { code: 'NotFound', message: 'no such route' } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    serviceUrl: `http://127.0.0.1:${port}/_connector`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
