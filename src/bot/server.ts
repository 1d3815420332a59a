import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { Connector } from '../teams/connector';
import { OutboxDispatcher } from '../teams/outboxDispatcher';
import type { BotDeps } from './deps';
import { createAdapter } from './adapter';
import { createApplication } from './app';

export interface RunningBot {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /** Sends what the meetings have pending (also runs on its own interval). */
  outbox: OutboxDispatcher;
  close(): Promise<void>;
}

/**
 * The bot's HTTP server: `POST /api/messages` for the Bot Framework, `GET /healthz` that answers
 * 200 only when storage answers.
 */
export async function startBotServer(deps: BotDeps, host = deps.config.bot.host, port = deps.config.bot.port): Promise<RunningBot> {
  const adapter = createAdapter(deps.config);
  const app = createApplication(adapter, deps);
  const outbox = new OutboxDispatcher(deps.store, new Connector(adapter, deps.config.bot.auth?.appId ?? ''), deps.clock, deps.log);

  const server = restify.createServer({ name: 'norrbus', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
    // After the answer has gone back to Teams, so a card refresh never overtakes it.
    void outbox.trigger();
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json(200, { status: 'ok', storage: 'ok' });
    } catch (error) {
      deps.log.warn({ err: { name: (error as Error).name } }, 'health check: storage unreachable');
      res.json(503, { status: 'error', storage: 'unreachable' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  outbox.start(deps.config.outboxIntervalMs);
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    outbox,
    close: async () => {
      await outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
