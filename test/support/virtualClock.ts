/**
 * Virtual time for tests of pacing: a discrete-event clock. Work runs inside `run(...)`; time moves
 * only when every piece of running work is asleep in `sleep` (none is making a call, so none can
 * be overtaken by the clock mid-request), and then jumps to the earliest wake-up. Hours of
 * Teams' rate windows pass in the real time the calls themselves take.
 *
 * ```ts
 * const clock = new VirtualClock();
 * const pacer = new Pacer({ now: clock.now, sleep: clock.sleep });
 * await Promise.all(workers.map((w) => clock.run(() => w())));
 * ```
 * `sleep` must be called from inside `run` (it hands the work's turn back while it sleeps).
 */
export class VirtualClock {
  private current: number;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  /** Pieces of work inside `run` that are not asleep. */
  private active = 0;
  private scheduled = false;

  constructor(start = Date.parse('2026-03-02T07:00:00Z')) {
    this.current = start;
  }

  readonly now = (): number => this.current;

  readonly sleep = (ms: number): Promise<void> => {
    if (this.active <= 0) throw new Error('VirtualClock.sleep outside VirtualClock.run');
    this.active--;
    return new Promise<void>((wake) => {
      this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, wake });
      this.kick();
    });
  };

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.kick();
    }
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.advance();
    });
  }

  private advance(): void {
    if (this.active > 0 || this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.current = Math.max(this.current, this.timers[0].at);
    const due = this.timers.filter((t) => t.at <= this.current);
    this.timers.splice(0, due.length);
    this.active += due.length;
    for (const timer of due) timer.wake();
  }
}
