/**
 * Pacing of the calls the bot makes to Teams, so a burst (a meeting's four summonses, a reminder
 * pass with hundreds of cards, the monthly digest to every forum) stays within Teams' rate limits
 * instead of drawing 429s.
 *
 * Waiting is meant for the proactive paths (the outbox, the reminder and forum passes): they send
 * one call after another, so each waits only for its own next slot. A call made inside a user's
 * request touches that user's thread or channel once or twice, far below the per-thread limits,
 * so it finds its slot free unless a burst is saturating that very thread; and since a slot is
 * reserved when it is asked for, a user's call never queues behind a burst aimed at other threads.
 * As a safety net `take` accepts `maxWaitMs`: a slot further away than that is not waited for,
 * `take` throws a PacingDeferredError instead (a retry, with the wait as its Retry-After).
 */

/** At most `limit` operations within any `windowMs` milliseconds. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Teams' limits per bot per thread (the same for sending to, and creating, a conversation):
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export const TEAMS_THREAD_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/**
 * Across all threads. Teams documents a global limit of 50 requests per second per app per tenant
 * (same page). One process holds itself to 40 over all tenants together, so every tenant stays
 * under 50 with a fifth left for what is not paced here: the replies inside users' turns, which
 * botbuilder sends itself, and roster or team lookups.
 */
export const TEAMS_GLOBAL_LIMITS: readonly RateWindow[] = [{ limit: 40, windowMs: 1_000 }];

/**
 * Added to every window: the time between taking a slot and the request reaching Teams varies
 * (a timer that fires late, a slow connection), and two calls sent a window apart must not arrive
 * closer together than that.
 */
export const DEFAULT_MARGIN_MS = 200;

/** A slot for the call is further away than the caller agreed to wait: try again later. */
export class PacingDeferredError extends Error {
  constructor(
    readonly key: string,
    /** When the next slot would have been, from now. */
    readonly waitMs: number,
  ) {
    super(`paced: next slot in ${Math.ceil(waitMs)} ms`);
    this.name = 'PacingDeferredError';
  }
}

export interface PacerOptions {
  /** Limits per key (thread or channel); default Teams' per-thread limits. */
  perKey?: readonly RateWindow[];
  /** Limits over all keys together; default TEAMS_GLOBAL_LIMITS. */
  global?: readonly RateWindow[];
  /** Milliseconds added to every window (default DEFAULT_MARGIN_MS). */
  marginMs?: number;
  /** A monotonic clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Waits that many milliseconds on the same clock (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

export interface TakeOptions {
  /** Throw a PacingDeferredError instead of waiting longer than this (default: wait as long as it takes). */
  maxWaitMs?: number;
}

interface Limits {
  limit: number;
  /** The window with the margin. */
  span: number;
}

/**
 * Sliding windows per key and over all keys. `take(key)` reserves the earliest instant at which one
 * more call fits every window of the key and every global window (a log of the instants given
 * out, reservations in the future included), then waits until that instant. Reserving at once
 * means concurrent callers get successive slots without polling, and a call whose thread is free
 * may go before calls reserved later for a saturated thread.
 */
export class Pacer {
  private readonly perKey: Limits[];
  private readonly global: Limits[];
  private readonly longestKeySpan: number;
  private readonly longestGlobalSpan: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Instants given out per key, ascending. */
  private readonly logs = new Map<string, number[]>();
  private readonly globalLog: number[] = [];
  private takesSinceSweep = 0;

  constructor(options: PacerOptions = {}) {
    const margin = options.marginMs ?? DEFAULT_MARGIN_MS;
    const limits = (windows: readonly RateWindow[]) => windows.map((w) => ({ limit: w.limit, span: w.windowMs + margin }));
    this.perKey = limits(options.perKey ?? TEAMS_THREAD_LIMITS);
    this.global = limits(options.global ?? TEAMS_GLOBAL_LIMITS);
    for (const w of [...this.perKey, ...this.global]) {
      if (!(Number.isInteger(w.limit) && w.limit > 0 && w.span > 0)) throw new Error('a rate window needs a positive limit and length');
    }
    this.longestKeySpan = Math.max(0, ...this.perKey.map((w) => w.span));
    this.longestGlobalSpan = Math.max(0, ...this.global.map((w) => w.span));
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** A pacer that never waits (for tools and benchmarks that talk to a local stand-in). */
  static unlimited(): Pacer {
    return new Pacer({ perKey: [], global: [] });
  }

  /** Resolves when a call for `key` may go (at once when its slot is free). */
  async take(key: string, options: TakeOptions = {}): Promise<void> {
    const now = this.now();
    this.prune(key, now);
    const log = this.logs.get(key) ?? [];
    const at = this.slotFor(log, now);
    const wait = at - now;
    if (options.maxWaitMs !== undefined && wait > options.maxWaitMs) throw new PacingDeferredError(key, wait);
    if (this.perKey.length) {
      insertSorted(log, at);
      this.logs.set(key, log);
    }
    if (this.global.length) insertSorted(this.globalLog, at);
    if (wait > 0) await this.sleep(wait);
  }

  /** How long a call for `key` would wait if it asked now (no slot is reserved). */
  waitFor(key: string): number {
    const now = this.now();
    return this.slotFor(this.logs.get(key) ?? [], now) - now;
  }

  /** The earliest instant from `from` that fits the key's windows and the global ones. */
  private slotFor(log: readonly number[], from: number): number {
    // Each side moves the instant to the earliest that fits it; done when neither moves it.
    for (let at = from; ; ) {
      const afterKey = earliestFit(log, this.perKey, at);
      const afterGlobal = earliestFit(this.globalLog, this.global, afterKey);
      if (afterGlobal === afterKey) return afterKey;
      at = afterGlobal;
    }
  }

  /** Drops instants that no window can see any more, and now and then keys with none left. */
  private prune(key: string, now: number): void {
    dropBefore(this.globalLog, now - this.longestGlobalSpan);
    const log = this.logs.get(key);
    if (log) dropBefore(log, now - this.longestKeySpan);
    if (++this.takesSinceSweep < 1_000) return;
    this.takesSinceSweep = 0;
    for (const [k, entries] of this.logs) {
      dropBefore(entries, now - this.longestKeySpan);
      if (entries.length === 0) this.logs.delete(k);
    }
  }
}

/**
 * The earliest instant ≥ `from` at which one more entry keeps every window of `log` within its
 * limit: no `limit + 1` entries, the new one among them, may lie less than `span` apart. Entries
 * after `from` (reservations) count too, so an instant may also fall into a gap between them.
 */
function earliestFit(log: readonly number[], windows: readonly Limits[], from: number): number {
  let at = from;
  for (let moved = true; moved; ) {
    moved = false;
    for (const { limit, span } of windows) {
      if (log.length < limit) continue;
      // Groups of `limit` consecutive entries that could share a span with `at`.
      const lo = firstIndexAbove(log, at - span);
      const hi = firstIndexAtOrAbove(log, at + span);
      let next = at;
      for (let j = lo; j + limit <= hi; j++) {
        const first = Math.min(log[j], at);
        const last = Math.max(log[j + limit - 1], at);
        // Such a group rules out every instant up to its first entry + span (test/teams/pacing.test.ts checks that none earlier fits).
        if (last - first < span) next = Math.max(next, log[j] + span);
      }
      if (next > at) {
        at = next;
        moved = true;
      }
    }
  }
  return at;
}

function firstIndexAbove(log: readonly number[], value: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function firstIndexAtOrAbove(log: readonly number[], value: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid] >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function insertSorted(log: number[], value: number): void {
  const index = firstIndexAbove(log, value);
  log.splice(index, 0, value);
}

function dropBefore(log: number[], limit: number): void {
  const count = firstIndexAbove(log, limit);
  if (count > 0) log.splice(0, count);
}
