import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A counting proxy in front of Azurite's table service, for the benchmark's storage round trips:
 * the bot is given the proxy's port in its connection string, and every request it makes to
 * storage is passed on unchanged and counted by kind and table. A round trip is one HTTP request
 * (a batch would be one too; the bot makes none).
 */
export type StorageOp = 'read' | 'query' | 'insert' | 'update' | 'upsert' | 'delete' | 'other';

export interface StorageCall {
  op: StorageOp;
  /** The table without the bot's prefix, e.g. "Meetings". */
  table: string;
}

export interface StorageProxy {
  readonly port: number;
  /** Calls since the last `reset`, in order. */
  readonly calls: readonly StorageCall[];
  reset(): void;
  close(): Promise<void>;
}

function classify(method: string, path: string, prefix: string): StorageCall {
  // /devstoreaccount1/<Table>(PartitionKey='…',RowKey='…') or /devstoreaccount1/<Table>()?$filter=…
  const segment = decodeURIComponent(path.split('?')[0].split('/')[2] ?? '');
  const name = segment.replace(/\(.*$/, '');
  const table = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  const keyed = /\(PartitionKey=/.test(segment);
  switch (method) {
    case 'GET':
      return { op: keyed ? 'read' : 'query', table };
    case 'POST':
      return { op: 'insert', table };
    case 'PUT':
      return { op: 'update', table };
    case 'PATCH':
    case 'MERGE':
      return { op: 'upsert', table };
    case 'DELETE':
      return { op: 'delete', table };
    default:
      return { op: 'other', table };
  }
}

export async function startStorageProxy(targetPort: number, tablePrefix: string): Promise<StorageProxy> {
  let calls: StorageCall[] = [];
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const call = classify(req.method ?? '', req.url ?? '/', tablePrefix);
    // An update with If-Match: * is an unconditional replace; with an ETag a conditional one; both count as updates.
    if (call.op === 'update' && !req.headers['if-match']) call.op = 'upsert';
    calls.push(call);
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get calls() {
      return calls;
    },
    reset: () => {
      calls = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
