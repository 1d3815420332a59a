import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { deadlinesFor } from '../../src/domain/intake';
import { addWorkingDays, isWorkingDay, type IsoDate, ZONE } from '../../src/domain/calendar';
import { planReminders } from '../../src/domain/reminders';
import type { PassResult } from '../../src/scheduler/reminderPass';
import { reminderFacts, scheduleReminders } from '../../src/scheduler/schedule';
import type { Meeting } from '../../src/store/meetingRepository';
import type { Reminder } from '../../src/store/reminderRepository';
import type { Store } from '../../src/store/store';
import { ORGS, type Organisation } from './organisations';

/**
 * Seeding for the reminder-pass tests (test/scheduler) and the benchmark (scripts/bench-reminders.ts):
 * real meetings, whose reminders the real planner schedules, each with its summons posted into a
 * thread that exists in a running Agents Playground. No vitest imports: the benchmark compiles this.
 */

/** The parties that can be seeded as the summoned party: each has a Playground organisation. */
export type SeedParty = 'socialtjanst' | 'primarvard';

/** Working days a party has to answer (src/bot/handlers/newMeeting.ts, REPLY_WITHIN). */
const REPLY_WITHIN = 3;

/** A Monday with no holiday near it: summons then, nudge on Wednesday 2026-03-04. */
export const DEFAULT_SUMMONS_DATE: IsoDate = '2026-03-02';

export interface NudgeDay {
  /** The day the summons went out (the meeting's createdAt, in Stockholm). */
  summonsDate: IsoDate;
  /** Summons date + 2 working days: the day the answer nudge is due. */
  nudgeDate: IsoDate;
  /** 09:00 Europe/Stockholm on the nudge day: inside the 8–17 window, only the nudge is due. */
  at: Date;
}

/** The nudge day of a summons sent on `summonsDate` (which must be a working day). */
export function nudgeDay(summonsDate: IsoDate = DEFAULT_SUMMONS_DATE): NudgeDay {
  if (!isWorkingDay(summonsDate)) throw new Error(`${summonsDate} is not a working day`);
  const nudgeDate = addWorkingDays(summonsDate, 2);
  const at = DateTime.fromISO(`${nudgeDate}T09:00`, { zone: ZONE }).toJSDate();
  return { summonsDate, nudgeDate, at };
}

/** A meeting id as the bot makes them (`m` + 16 hex); `prefix` (hex) orders seeded meetings in a partition. */
export function newMeetingId(prefix = ''): string {
  if (!/^[0-9a-f]{0,8}$/.test(prefix)) throw new Error(`meeting id prefix must be hex: ${prefix}`);
  return `m${prefix}${randomBytes(8).toString('hex')}`.slice(0, 17);
}

/** Runs `fn` over the items with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A thread in a channel of a running Playground: its conversation id and root message id. */
export interface SeedThread {
  threadId: string;
  activityId: string;
}

/**
 * Opens `count` threads in a Playground channel (new posts by the organisation's current user; the
 * bot is not mentioned, so nothing reaches a bot). The Playground keeps its conversations in memory
 * and answers 404 "Conversation not found" to a post into a thread it never saw (checked on 0.2.28),
 * so every summons thread must exist in the Playground that receives the reminders.
 */
export async function openThreads(playgroundUrl: string, org: Organisation, count: number, concurrency = 20): Promise<SeedThread[]> {
  const channel = encodeURIComponent(org.intakeChannel);
  return mapLimit(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const response = await fetch(`${playgroundUrl}/_conversation/v1/conversations/${channel}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: org.currentUser.id }, text: `Kallelse (testtråd ${i + 1})`, textFormat: 'plain' }),
    });
    const body = (await response.json().catch(() => ({}))) as { messageId?: string; postConversationId?: string };
    if (!response.ok || !body.postConversationId || !body.messageId) {
      throw new Error(`the Playground at ${playgroundUrl} did not open a thread: ${response.status} ${JSON.stringify(body)}`);
    }
    return { threadId: body.postConversationId, activityId: body.messageId };
  });
}

export interface NudgeMeetingInput {
  id: string;
  party: SeedParty;
  /** Where the bot posts to the party (a Playground's `serviceUrl`, `http://localhost:<port>/_connector`). */
  serviceUrl: string;
  thread: SeedThread;
  summonsDate: IsoDate;
  caseReference: string;
}

/**
 * A full, valid meeting as src/bot/handlers/newMeeting.ts stores it, a moment after its summons went
 * out: state 'summoning', convened by the school, one summoned party whose summons is sent (to
 * `thread` in its intake channel), no answer yet, nothing pending.
 */
export function nudgeMeeting(input: NudgeMeetingInput): Meeting {
  const org = ORGS[input.party];
  const school = ORGS.skola;
  const createdAt = DateTime.fromISO(`${input.summonsDate}T10:00`, { zone: ZONE });
  const firstTime = addWorkingDays(input.summonsDate, 8);
  const intake: Meeting['intake'] = {
    municipality: 'Luleå',
    convener: 'skola',
    summoned: [input.party],
    caseReference: input.caseReference,
    age: 14,
    gender: 'flicka',
    purpose: 'Ökande frånvaro; behov av samlad bild och plan',
    urgent: false,
    consent: { date: addWorkingDays(input.summonsDate, -1), from: ['ungdomen', 'vardnadshavare'], parties: [input.party] },
    proposedTimes: [`${firstTime}T13:00`],
    place: 'Sunderby skola, konferensrum 2',
    placedOutsideHome: false,
  };
  const convenerThread = `${school.intakeChannel};messageid=1`;
  const reference = (conversationId: string, tenantId: string) => ({
    bot: { id: org.botId, name: 'Norrbus' },
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId },
    channelId: 'msteams',
    serviceUrl: input.serviceUrl,
  });
  return {
    id: input.id,
    state: 'summoning',
    intake,
    answers: {},
    createdAt: createdAt.toUTC().toISO()!,
    createdBy: { id: school.currentUser.id, aadObjectId: school.currentUser.aadObjectId, name: school.currentUser.name },
    deadlines: { ...deadlinesFor(intake, input.summonsDate), replyBy: addWorkingDays(input.summonsDate, REPLY_WITHIN) },
    convener: { conversationId: convenerThread, statusActivityId: '1', conversationReference: reference(school.intakeChannel, school.tenantId) },
    summons: {
      [input.party]: {
        tenantId: org.tenantId,
        teamId: org.teamId,
        channelId: org.intakeChannel,
        serviceUrl: input.serviceUrl,
        conversationReference: reference(org.intakeChannel, org.tenantId),
        threadId: input.thread.threadId,
        activityId: input.thread.activityId,
        sentAt: createdAt.plus({ minutes: 1 }).toUTC().toISO()!,
      },
    },
    pending: [],
    plan: {},
    reminderRefs: [],
    planCards: {},
    effects: [],
  };
}

export interface SeedNudgesOptions {
  party: SeedParty;
  count: number;
  /** The running Playground of the party's organisation, where the summons threads are opened. */
  playground: { url: string; serviceUrl: string };
  /** Where the bot posts (default: the Playground's own serviceUrl; e.g. a proxy in front of it). */
  serviceUrl?: string;
  summonsDate?: IsoDate;
  /** Hex prefix of the meeting ids: the pass handles a partition in row-key order, so this orders meetings. */
  idPrefix?: string;
  /** The first case reference number (NB-2026-<n>). */
  firstCaseNumber?: number;
  concurrency?: number;
  onProgress?: (done: number) => void;
}

export interface SeededNudge {
  meetingId: string;
  party: SeedParty;
  threadId: string;
  caseReference: string;
}

/**
 * Stores `count` meetings whose only reminder due on the nudge day is the party's answer nudge, each
 * with its summons in its own thread of the Playground, and lets the real planner schedule them
 * (`scheduleReminders`). Writes run at most `concurrency` (20) at a time.
 */
export async function seedNudgeMeetings(store: Store, options: SeedNudgesOptions): Promise<SeededNudge[]> {
  const summonsDate = options.summonsDate ?? DEFAULT_SUMMONS_DATE;
  const { nudgeDate } = nudgeDay(summonsDate);
  const concurrency = options.concurrency ?? 20;
  const threads = await openThreads(options.playground.url, ORGS[options.party], options.count, concurrency);
  let done = 0;
  return mapLimit(threads, concurrency, async (thread, i) => {
    const caseReference = `NB-2026-${(options.firstCaseNumber ?? 1) + i}`;
    const meeting = nudgeMeeting({
      id: newMeetingId(options.idPrefix),
      party: options.party,
      serviceUrl: options.serviceUrl ?? options.playground.serviceUrl,
      thread,
      summonsDate,
      caseReference,
    });
    if (i === 0) assertOnlyNudgeDue(meeting, nudgeDate);
    await store.meetings.create(meeting);
    await scheduleReminders(store, meeting.id);
    options.onProgress?.(++done);
    return { meetingId: meeting.id, party: options.party, threadId: thread.threadId, caseReference };
  });
}

/** Fails unless the planner gives the meeting exactly one reminder due by `day`: the party's answer nudge, on that day. */
function assertOnlyNudgeDue(meeting: Meeting, day: IsoDate): void {
  const due = planReminders(reminderFacts(meeting, [])).filter((r) => r.dueDate <= day);
  if (due.length !== 1 || due[0].kind !== 'answerNudge' || due[0].dueDate !== day) {
    throw new Error(`seeded meeting: expected only an answerNudge due ${day}, the planner gives ${JSON.stringify(due)}`);
  }
}

export interface FutureRemindersOptions {
  count: number;
  /** Reminders fall due on the days after this one (default: today in Stockholm). */
  after: IsoDate;
  /** Spread over this many calendar days after `after` (default 730: two years). */
  days?: number;
  concurrency?: number;
  onProgress?: (done: number) => void;
}

const FUTURE_KINDS: Reminder['kind'][] = ['answerOverdue', 'meetingNotFixed', 'commitmentUpcoming', 'commitmentCheck', 'commitmentDeviation', 'followUpMeeting'];

/**
 * Writes `count` reminders straight into future partitions (due 1..days days after `after`), for
 * meetings that do not exist: what a pass must not read. Round-robin over the days, so every
 * partition gets its share.
 */
export async function seedFutureReminders(store: Store, options: FutureRemindersOptions): Promise<void> {
  const days = options.days ?? 730;
  const start = DateTime.fromISO(options.after, { zone: ZONE });
  let done = 0;
  await mapLimit(Array.from({ length: options.count }, (_, i) => i), options.concurrency ?? 32, async (i) => {
    const kind = FUTURE_KINDS[i % FUTURE_KINDS.length];
    await store.reminders.create({
      meetingId: newMeetingId(),
      kind,
      thread: kind === 'meetingNotFixed' ? 'convener' : 'socialtjanst',
      subject: `s${i}`,
      dueDate: start.plus({ days: 1 + (i % days) }).toISODate()!,
      attempts: 0,
    });
    options.onProgress?.(++done);
  });
}


/** Throws a clear message when dist is missing (a test file run alone, without `npm run build`). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
}

export interface TickRun {
  process: ChildProcess;
  /** Resolves when the process ends: its exit code (or signal), output, and the JSON line it printed. */
  done: Promise<{ code: number | string; stdout: string; stderr: string; result?: PassResult & { at: string } }>;
}

/**
 * `node dist/src/cli/main.js tick --at <at>` as its own process, against the given storage and table
 * prefix (NORRBUS_ENV=local, REMINDER_WINDOW=8-17, LOG_LEVEL=warn).
 */
export function startTick(at: Date, storage: { connectionString: string; tablePrefix: string }, env: Record<string, string> = {}): TickRun {
  const child = spawn(process.execPath, [CLI, 'tick', '--at', at.toISOString()], {
    env: {
      ...process.env,
      NORRBUS_ENV: 'local',
      STORAGE_CONNECTION_STRING: storage.connectionString,
      STORAGE_TABLE_PREFIX: storage.tablePrefix,
      REMINDER_WINDOW: '8-17',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ code: number | string; stdout: string; stderr: string; result?: PassResult & { at: string } }>((resolve) => {
    child.once('exit', (code, signal) => {
      const line = stdout
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"at":'));
      resolve({ code: code ?? signal ?? 'unknown', stdout, stderr, result: line ? JSON.parse(line) : undefined });
    });
  });
  return { process: child, done };
}
