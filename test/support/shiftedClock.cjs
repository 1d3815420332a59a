'use strict';
/**
 * Preloaded into a bot process (`NODE_OPTIONS=--require …/shiftedClock.cjs`) by tests that need
 * the bot's own clock at a given instant, as `travellingClock` gives an in-process bot: with
 * NORRBUS_TEST_CLOCK_START (ISO time) set, `Date.now()` and `new Date()` start at that instant when
 * the process starts and run at the real pace. Timers are untouched. Without the variable, nothing
 * changes. Plain CommonJS so that node can preload it without a build.
 */
const start = Date.parse(process.env.NORRBUS_TEST_CLOCK_START ?? '');
if (!Number.isNaN(start)) {
  const RealDate = Date;
  const realNow = RealDate.now;
  const offset = start - realNow();
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(realNow() + offset).toString();
    return args.length === 0 ? new RealDate(realNow() + offset) : new RealDate(...args);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => realNow() + offset;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  globalThis.Date = ShiftedDate;
}
