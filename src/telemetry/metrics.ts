import { metrics, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';

/**
 * The bot's own metrics, through the OpenTelemetry API: without telemetry configured the API's
 * provider is a no-op, so recording costs nothing and needs no SDK. Attributes are fixed words
 * (a send's kind and failure reason, a pass's outcome), never content.
 */
export const METRICS = {
  /** Unfinished sends: outbox marks (meetings and records with sends or effects not yet carried out). */
  outboxBacklog: 'norrbus.outbox.backlog',
  /** Sends to Teams that failed, by kind (summons, plan, …), reason (timeout, 429, …) and outcome (retry, given_up). */
  sendFailures: 'norrbus.outbox.send_failures',
  /** How long one reminder pass took, by outcome (ok, failed, outside_window). */
  reminderPassDuration: 'norrbus.reminder_pass.duration',
  /** Reminders a pass handled, by result (delivered, dropped, retrying). */
  reminderPassReminders: 'norrbus.reminder_pass.reminders',
  /** Messages a pass posted (one per thread with due reminders). */
  reminderPassPosts: 'norrbus.reminder_pass.posts',
} as const;

interface Instruments {
  provider: MeterProvider;
  sendFailures: Counter;
  passDuration: Histogram;
  passReminders: Counter;
  passPosts: Counter;
}

let cached: Instruments | undefined;

/** The instruments of the provider registered now (telemetry may start after this module is loaded). */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached;
  const meter = provider.getMeter('norrbus');
  cached = {
    provider,
    sendFailures: meter.createCounter(METRICS.sendFailures, { description: 'Sends to Teams that failed' }),
    passDuration: meter.createHistogram(METRICS.reminderPassDuration, { description: 'Duration of a reminder pass', unit: 'ms' }),
    passReminders: meter.createCounter(METRICS.reminderPassReminders, { description: 'Reminders handled by reminder passes' }),
    passPosts: meter.createCounter(METRICS.reminderPassPosts, { description: 'Reminder messages posted' }),
  };
  return cached;
}

/** One failed send of the outbox (src/teams/outboxDispatcher.ts). */
export function recordSendFailure(kind: string, reason: string, givenUp: boolean): void {
  instruments().sendFailures.add(1, { kind, reason: reason.slice(0, 40), outcome: givenUp ? 'given_up' : 'retry' });
}

/** What ReminderPass.run reports (src/scheduler/reminderPass.ts), as far as metrics need it. */
interface PassCounts {
  posted: number;
  delivered: number;
  dropped: number;
  retrying: number;
  outsideWindow: boolean;
}

/**
 * Wraps the pass's `run` on this instance so every run (the bot's interval, a test's call) records
 * its duration and counts. Returns the same pass.
 */
export function instrumentReminderPass<P extends { run(at: Date): Promise<PassCounts> }>(pass: P): P {
  const run = pass.run.bind(pass);
  pass.run = async (at: Date) => {
    const started = performance.now();
    try {
      const result = await run(at);
      const m = instruments();
      m.passDuration.record(performance.now() - started, { outcome: result.outsideWindow ? 'outside_window' : 'ok' });
      m.passPosts.add(result.posted);
      m.passReminders.add(result.delivered, { result: 'delivered' });
      m.passReminders.add(result.dropped, { result: 'dropped' });
      m.passReminders.add(result.retrying, { result: 'retrying' });
      return result;
    } catch (error) {
      instruments().passDuration.record(performance.now() - started, { outcome: 'failed' });
      throw error;
    }
  };
  return pass;
}

/**
 * Reports the outbox backlog whenever metrics are collected (once a minute to Application Insights):
 * the number of outbox marks, read from storage at that moment.
 */
export function observeOutboxBacklog(outbox: { list(): Promise<unknown[]> }): void {
  const gauge = metrics.getMeter('norrbus').createObservableGauge(METRICS.outboxBacklog, { description: 'Unfinished sends (outbox marks)' });
  gauge.addCallback(async (result) => {
    result.observe((await outbox.list()).length);
  });
}
