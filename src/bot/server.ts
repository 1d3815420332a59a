import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import type { BotDeps } from './deps';
import { createAdapter } from './adapter';
import { createApplication } from './app';

export interface RunningBot {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The bot's HTTP server: `POST /api/messages` for the Bot Framework, `GET /healthz` that answers
 * 200 only when storage answers.
 */
export async function startBotServer(deps: BotDeps, host = deps.config.bot.host, port = deps.config.bot.port): Promise<RunningBot> {
  const adapter = createAdapter(deps.config);
  const app = createApplication(adapter, deps);

  const server = restify.createServer({ name: 'norrbus', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
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
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
