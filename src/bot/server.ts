import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { Connector } from '../teams/connector';
import { OutboxDispatcher } from '../teams/outboxDispatcher';
import { ForumPass } from '../scheduler/forumPass';
import { ReminderPass } from '../scheduler/reminderPass';
import type { BotDeps } from './deps';
import { createAdapter } from './adapter';
import { createApplication } from './app';

export interface RunningBot {
  /** e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /** Sends what the meetings have pending (also runs on its own interval). */
  outbox: OutboxDispatcher;
  reminders: ReminderPass;
  forum: ForumPass;
  close(): Promise<void>;
}

/**
 * The bot's HTTP server: `POST /api/messages` for the Bot Framework, `GET /healthz` that answers
 * 200 only when storage answers.
 */
export async function startBotServer(
  base: Omit<BotDeps, 'connector'>,
  host = base.config.bot.host,
  port = base.config.bot.port,
): Promise<RunningBot> {
  const adapter = createAdapter(base.config);
  const connector = new Connector(adapter, base.config.bot.auth?.appId ?? '');
  const deps: BotDeps = { ...base, connector };
  const app = createApplication(adapter, deps);
  const outbox = new OutboxDispatcher(deps.store, connector, deps.clock, deps.log);
  const reminders = new ReminderPass(deps.store, connector, deps.log, deps.config.reminders);
  const forum = new ForumPass(deps.store, connector, deps.log, deps.config.reminders);

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
  const reminderTimer = startReminderInterval(reminders, forum, deps);
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    outbox,
    reminders,
    forum,
    close: async () => {
      if (reminderTimer) clearInterval(reminderTimer);
      await outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs the reminder pass in the bot on its interval, one pass at a time. */
function startReminderInterval(pass: ReminderPass, forum: ForumPass, deps: BotDeps): NodeJS.Timeout | undefined {
  if (deps.config.reminders.intervalMs <= 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    const at = deps.clock();
    pass
      .run(at)
      .then(() => forum.run(at))
      .catch((error: Error) => deps.log.error({ err: { name: error.name, message: error.message } }, 'reminder pass failed'))
      .finally(() => (running = false));
  }, deps.config.reminders.intervalMs);
  timer.unref();
  return timer;
}
