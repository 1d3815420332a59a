import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import * as restify from 'restify';
import { dateInStockholm } from '../domain/calendar';
import { applyRetention } from '../scheduler/erasure';
import { Connector } from '../teams/connector';
import { Pacer } from '../teams/pacing';
import { OUTBOX_PACE_WAIT_MS, OutboxDispatcher } from '../teams/outboxDispatcher';
import { isAllowedServiceUrl } from '../teams/serviceUrl';
import { ForumPass } from '../scheduler/forumPass';
import { ReminderPass } from '../scheduler/reminderPass';
import type { Logger } from '../log';
import type { BotDeps } from './deps';
import { checkActivity } from './activitySchema';
import { createAdapter, type ActivityOutcome } from './adapter';
import { createApplication } from './app';

/** The largest activity accepted; Teams' own limit on a message with cards is far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How long a call to Teams made inside a person's request may take (its answer is due within ~5 s). */
const IN_REQUEST_TIMEOUT_MS = 2_000;

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

/** What the client is told: the status and its standard phrase, never an error message or a stack. */
function errorBody(status: number): string {
  return JSON.stringify({ error: (STATUS_CODES[status] ?? 'error').toLowerCase() });
}

function sendJson(res: restify.Response, status: number, json: string): void {
  if (res.headersSent) return;
  res.sendRaw(status, json, { 'content-type': 'application/json; charset=utf-8' });
}

function sendError(res: restify.Response, status: number): void {
  sendJson(res, status, errorBody(status));
}

/** Keys that would give a parsed object a prototype of the sender's choosing. */
function noPrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('prototype key');
  return value;
}

/** The request body, at most `limit` bytes (413 beyond), parsed as JSON (400 when it is not). */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<{ body: unknown } | { status: 400 | 413 }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return { status: 413 };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        // Read on (and drop) up to a bound so the client sees the answer; beyond that, hang up.
        if (size > limit * 8) {
          req.destroy();
          break;
        }
        continue;
      }
      chunks.push(chunk);
    }
  } catch {
    return { status: 400 };
  }
  if (tooLarge) return { status: 413 };
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8'), noPrototypeKeys) };
  } catch {
    return { status: 400 };
  }
}

/** The HTTP answer for how an activity went. */
function answer(res: restify.Response, activity: Activity, outcome: ActivityOutcome, log: Logger): void {
  if (outcome.kind === 'unauthorized') {
    log.warn({ err: { name: errorName(outcome.error) }, activity: activity.type }, 'activity refused: not authenticated');
    return sendError(res, 401);
  }
  if (outcome.kind === 'failed') {
    // Beyond what the turn's error handler could absorb (its apology failed too, say).
    log.error({ err: { name: errorName(outcome.error), message: (outcome.error as Error)?.message }, activity: activity.type }, 'activity failed');
    return sendError(res, 500);
  }
  // A failure inside the turn has been logged and, for a message, apologised for by the turn's error
  // handler: as botbuilder does, that activity is answered 200. A card action gets the message the
  // error handler put in its invoke response (Teams shows it on the card); any other invoke has none.
  if (outcome.turnFailed && activity.type === 'invoke' && outcome.invokeResponse?.body === undefined) return sendError(res, 500);
  // An invoke's answer (or, for deliveryMode expectReplies, the replies) goes back in the body.
  const response = outcome.invokeResponse;
  if (!response && activity.type !== 'invoke') {
    if (!res.headersSent) res.sendRaw(200, '');
    return;
  }
  // botbuilder answers 501 when no route gave an invoke response: an invoke this bot does not take.
  if (!response || (activity.type === 'invoke' && response.status === 501)) {
    log.warn({ name: String(activity.name ?? '').slice(0, 60) }, 'invoke without a route');
    return sendError(res, 400);
  }
  const status = Number.isInteger(response.status) && response.status >= 200 && response.status < 600 ? response.status : 500;
  if (response.body === undefined) {
    if (!res.headersSent) res.sendRaw(status, '');
    return;
  }
  let json: string;
  try {
    json = JSON.stringify(response.body);
  } catch {
    return sendError(res, 500);
  }
  sendJson(res, status, json);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * The bot's HTTP server: `POST /api/messages` for the Bot Framework, `GET /healthz` that answers
 * 200 only when storage answers. Whatever goes wrong, a client gets a status and its standard
 * phrase as JSON (`{"error":"bad request"}`), never an error message.
 */
export async function startBotServer(
  base: Omit<BotDeps, 'connector'>,
  host = base.config.bot.host,
  port = base.config.bot.port,
): Promise<RunningBot> {
  const adapter = createAdapter(base.config);
  const appId = base.config.bot.auth?.appId ?? '';
  // One pacer for every call this process makes to Teams, in and outside requests.
  const pacer = new Pacer();
  const connector = new Connector(adapter, appId, base.config.serviceHosts, { pacer, maxPaceWaitMs: OUTBOX_PACE_WAIT_MS });
  // Posts a handler makes inside a person's request (a deviation to the forum, an approval card)
  // must leave time to answer within Teams' ~5 s: a short bound, and no long wait for pacing.
  const inRequest = new Connector(adapter, appId, base.config.serviceHosts, { timeoutMs: Math.min(base.config.connector.timeoutMs, IN_REQUEST_TIMEOUT_MS), maxPaceWaitMs: 500, pacer });
  const deps: BotDeps = { ...base, connector: inRequest };
  const app = createApplication(adapter, deps);
  const outbox = new OutboxDispatcher(deps.store, connector, deps.clock, deps.log, { giveUpMs: deps.config.connector.giveUpMs });
  const reminders = new ReminderPass(deps.store, connector, deps.log, deps.config.reminders);
  const forum = new ForumPass(deps.store, connector, deps.log, { ...deps.config.reminders, county: deps.config.county });
  const log = deps.log;

  if (!deps.config.bot.auth) {
    log.warn(
      { host, serviceHosts: 'loopback' },
      'Norrbus kör i lokalt läge utan autentisering (BOT_ID saknas): bara för utveckling mot Agents Playground, lyssnar och skickar bara lokalt',
    );
  }

  const server = restify.createServer({ name: 'norrbus', handleUncaughtExceptions: false });

  // Shutdown: once it begins, requests on connections still open are refused (503) and no new outbox
  // drain starts; the activities being handled are counted so close() can wait for them.
  let accepting = true;
  const inFlight = new InFlight();
  server.pre((_req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (accepting) return next();
    res.setHeader('connection', 'close');
    sendError(res, 503);
    return next(false);
  });

  // Any error restify meets itself (unknown route, wrong method, a handler that throws) is answered
  // here, before restify's formatters could write the error's message.
  server.on('restifyError', (_req: restify.Request, res: restify.Response, err: { statusCode?: unknown }, callback: () => void) => {
    const status = typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) log.error({ err: { name: errorName(err) } }, 'http request failed');
    sendError(res, status);
    callback();
  });

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const handled = inFlight.begin();
    try {
      const read = await readJsonBody(req, MAX_BODY_BYTES);
      if ('status' in read) {
        // Whatever is still on its way is not read: the connection ends with this answer.
        if (read.status === 413) res.setHeader('connection', 'close');
        log.warn({ status: read.status }, read.status === 413 ? 'activity refused: body too large' : 'activity refused: body is not JSON');
        return sendError(res, read.status);
      }
      const checked = checkActivity(read.body);
      if ('problems' in checked) {
        log.warn({ problems: checked.problems }, 'activity refused: malformed');
        return sendError(res, 400);
      }
      const activity = checked.activity as unknown as Activity;
      // Replies go to the activity's serviceUrl: one outside the allow-list is a forgery (or a
      // misconfiguration) and gets nothing, not even authentication.
      if (!isAllowedServiceUrl(activity.serviceUrl, deps.config.serviceHosts)) {
        log.warn({ activity: activity.type }, 'activity refused: serviceUrl not allowed');
        return sendError(res, 400);
      }
      const authorization = req.headers.authorization;
      const marksBefore = deps.store.outbox.marksWritten;
      const outcome = await adapter.handleActivity(typeof authorization === 'string' ? authorization : '', activity, (context) =>
        app.run(context).then(() => undefined),
      );
      answer(res, activity, outcome, log);
      // After the answer has gone back to Teams, so a card refresh never overtakes it. Not while
      // stopping: what the turn left to send stays in the outbox for the next start.
      // Only a turn that marked the outbox (it, or one beside it) has sends waiting; the interval catches the rest.
      if (outcome.kind === 'done' && accepting && deps.store.outbox.marksWritten !== marksBefore) void outbox.trigger();
    } catch (error) {
      log.error({ err: { name: errorName(error), message: (error as Error)?.message } }, 'activity handling failed');
      sendError(res, 500);
    } finally {
      handled();
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
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
  const reminderTimer = startReminderInterval(reminders, forum, deps, connector);

  /**
   * Stops accepting work, lets the activities in flight, the outbox drain and the reminder pass
   * that are running finish, all within `config.shutdownMs`; what is still running after that is
   * left (its sends stay claimed in the outbox, to be retried when their lease ends) and every
   * connection is cut. Never takes much longer than the bound.
   */
  const shutdown = async (): Promise<void> => {
    const deadline = Date.now() + deps.config.shutdownMs;
    const left = () => Math.max(0, deadline - Date.now());
    accepting = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    reminderTimer.stop();
    const running = { requests: inFlight.size };
    const settled = await within(Promise.all([inFlight.drained(), outbox.stop(), reminderTimer.idle()]), left());
    // A turn that finished just now may have started a drain after all: that one gets what is left.
    const outboxStopped = settled && (await within(outbox.stop(), left()));
    if (!outboxStopped) {
      log.warn(
        { requestsAtStart: running.requests, requestsLeft: inFlight.size, shutdownMs: deps.config.shutdownMs },
        'stopping: work still running after SHUTDOWN_SECONDS is abandoned; unfinished sends stay in the outbox',
      );
    }
    // Keep-alive connections, and those of requests that did not finish.
    server.server.closeAllConnections();
    await within(closed, Math.max(left(), 200));
  };
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    outbox,
    reminders,
    forum,
    close: () => (closing ??= shutdown()),
  };
}

/** Counts the requests being handled, and tells when none is. */
class InFlight {
  private count = 0;
  private waiting: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  /** Marks one request as begun; call the returned function (once) when it has ended. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiting.splice(0)) wake();
    };
  }

  drained(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** True when `work` settles (either way) within `ms`, false when the time ran out first. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the reminder pass in the bot on its interval, one pass at a time; `stop` ends the interval, `idle` waits for a running pass. */
function startReminderInterval(pass: ReminderPass, forum: ForumPass, deps: BotDeps, replacer: Connector): { stop(): void; idle(): Promise<void> } {
  if (deps.config.reminders.intervalMs <= 0) return { stop: () => undefined, idle: () => Promise.resolve() };
  let running: Promise<void> | undefined;
  // The retention rule once a day (it reads every meeting): at the first pass of each day.
  let retainedOn = '';
  const retention = async (at: Date) => {
    const today = dateInStockholm(at);
    if (today === retainedOn) return;
    retainedOn = today;
    await applyRetention({ store: deps.store, replacer, log: deps.log }, at, deps.config.retention);
  };
  const timer = setInterval(() => {
    if (running) return;
    const at = deps.clock();
    running = pass
      .run(at)
      .then(() => forum.run(at))
      .then(() => retention(at))
      .then(
        () => undefined,
        (error: Error) => deps.log.error({ err: { name: error.name, message: error.message } }, 'reminder pass failed'),
      )
      .finally(() => (running = undefined));
  }, deps.config.reminders.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), idle: () => running ?? Promise.resolve() };
}
