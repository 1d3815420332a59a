import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pacer, PacingDeferredError, TEAMS_GLOBAL_LIMITS, TEAMS_THREAD_LIMITS, type RateWindow } from '../../src/teams/pacing';

/** A pacer on a hand-driven clock: a sleep is recorded, not waited for, so a grant is `now + the sleep asked for`. */
function handDriven(options: { perKey?: RateWindow[]; global?: RateWindow[]; marginMs?: number } = {}) {
  let now = 0;
  let asked = 0;
  const pacer = new Pacer({ ...options, now: () => now, sleep: async (ms) => void (asked = ms) });
  return {
    pacer,
    advance: (ms: number) => void (now += ms),
    get now() {
      return now;
    },
    /** The instant the call is granted, or the error thrown. */
    async grant(key: string, maxWaitMs?: number): Promise<number | PacingDeferredError> {
      asked = 0;
      try {
        await pacer.take(key, { maxWaitMs });
        return now + asked;
      } catch (error) {
        if (error instanceof PacingDeferredError) return error;
        throw error;
      }
    },
  };
}

/** `count` grants in a row, for the keys `keyOf(i)`. */
async function grantMany(clock: ReturnType<typeof handDriven>, count: number, keyOf: (i: number) => string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await clock.grant(keyOf(i))) as number);
  return out;
}

/** The first window some `limit + 1` instants break (less than its length apart), if any. */
function broken(instants: number[], windows: readonly RateWindow[]): RateWindow | undefined {
  const sorted = [...instants].sort((a, b) => a - b);
  return windows.find(({ limit, windowMs }) => sorted.some((t, i) => i + limit < sorted.length && sorted[i + limit] - t < windowMs));
}

describe('the pacer', () => {
  it('lets a thread have 7 at once, the 8th after a second, and holds 60 in 30 s and 1,800 in an hour', async () => {
    const clock = handDriven({ marginMs: 0 });
    const grants = await grantMany(clock, 1_900, () => 'thread');
    expect(grants.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(grants[7]).toBe(1_000);
    expect(grants[8]).toBe(2_000);
    expect(grants[60]).toBe(30_000);
    expect(grants[1_800]).toBe(3_600_000);
    expect(broken(grants, TEAMS_THREAD_LIMITS)).toBeUndefined();
  });

  it('keeps a margin on every window', async () => {
    const clock = handDriven({ marginMs: 200 });
    const grants = await grantMany(clock, 9, () => 'thread');
    expect(grants[7]).toBe(1_200);
    expect(grants[8]).toBe(2_200);
  });

  it('never holds a free thread behind a saturated one, and bounds all threads together', async () => {
    const clock = handDriven({ marginMs: 0 });
    await grantMany(clock, 100, () => 'busy');
    expect(clock.pacer.waitFor('busy')).toBeGreaterThan(30_000);
    expect(await clock.grant('free')).toBe(0);
    // 40 per second over all threads (Teams allows 50 per app per tenant).
    const many = await grantMany(clock, 200, (i) => `t${i}`);
    expect(broken(many, TEAMS_GLOBAL_LIMITS)).toBeUndefined();
    expect(Math.max(...many)).toBeLessThanOrEqual(6_000);
  });

  it('defers instead of waiting beyond maxWaitMs, and reserves nothing then', async () => {
    let now = 0;
    const pacer = new Pacer({ now: () => now, sleep: async (ms) => void (now += ms) });
    for (let i = 0; i < 7; i++) await pacer.take('thread', { maxWaitMs: 0 });
    const error = await pacer.take('thread', { maxWaitMs: 500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PacingDeferredError);
    expect((error as PacingDeferredError).waitMs).toBe(1_200);
    expect(pacer.waitFor('thread')).toBe(1_200);
    expect(now).toBe(0);
  });

  it('waits on the clock it is given', async () => {
    const sleeps: number[] = [];
    let now = 1_000_000;
    const pacer = new Pacer({ now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) });
    for (let i = 0; i < 16; i++) await pacer.take('thread');
    // 7 at once; the 8th 1.2 s on (7 per 1 s, plus the margin); the 9th after 2.2 s (8 per 2 s); …
    expect(sleeps).toEqual([1_200, 1_000, 200, 1_000]);
    expect(now).toBe(1_000_000 + 3_400);
  });

  it('holds every window for any mix of threads, times and waits', async () => {
    const windows: RateWindow[] = [
      { limit: 3, windowMs: 100 },
      { limit: 5, windowMs: 400 },
    ];
    const global: RateWindow[] = [{ limit: 6, windowMs: 100 }];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 4 }), gap: fc.integer({ min: 0, max: 150 }), maxWait: fc.option(fc.integer({ min: 0, max: 500 })) }), {
          maxLength: 300,
        }),
        fc.integer({ min: 0, max: 30 }),
        async (calls, marginMs) => {
          const clock = handDriven({ perKey: windows, global, marginMs });
          const byKey = new Map<number, number[]>();
          const all: number[] = [];
          for (const { key, gap, maxWait } of calls) {
            clock.advance(gap);
            const wait = clock.pacer.waitFor(`k${key}`);
            const granted = await clock.grant(`k${key}`, maxWait ?? undefined);
            if (maxWait !== null && wait > maxWait) continue;
            expect(granted).toBe(clock.now + wait);
            byKey.set(key, [...(byKey.get(key) ?? []), granted as number]);
            all.push(granted as number);
          }
          for (const instants of byKey.values()) expect(broken(instants, windows)).toBeUndefined();
          expect(broken(all, global)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grants the earliest instant that fits (none earlier would)', async () => {
    const windows: RateWindow[] = [
      { limit: 2, windowMs: 50 },
      { limit: 4, windowMs: 300 },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.integer({ min: 0, max: 2 }), gap: fc.integer({ min: 0, max: 80 }) }), { maxLength: 80 }), async (calls) => {
        const clock = handDriven({ perKey: windows, global: [{ limit: 3, windowMs: 50 }], marginMs: 0 });
        const byKey = new Map<number, number[]>();
        const all: number[] = [];
        for (const { key, gap } of calls) {
          clock.advance(gap);
          const granted = (await clock.grant(`k${key}`)) as number;
          const mine = byKey.get(key) ?? [];
          // Every instant from now up to the grant breaks a window of the key or the global one.
          for (let t = clock.now; t < granted; t++) {
            expect(broken([...mine, t], windows) ?? broken([...all, t], [{ limit: 3, windowMs: 50 }])).toBeDefined();
          }
          byKey.set(key, [...mine, granted]);
          all.push(granted);
        }
      }),
      { numRuns: 150 },
    );
  });
});
