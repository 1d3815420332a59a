import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addWorkingDays, dateInStockholm } from '../src/domain/calendar';
import { projectRoot } from '../src/projectRoot';
import { openStore, type Store } from '../src/store/store';
import { sv } from '../src/texts/sv';
import { seedDemoDirectory } from './lib/demo';
import { azuriteConnectionString } from './lib/services';
import * as activities from './lib/bench/activities';
import { load, type LoadResult } from './lib/bench/load';
import { startEcho, startMemoryAzurite, startNorrbus, type BenchBot } from './lib/bench/processes';
import { newestProfile, summariseProfile, type ProfileSummary } from './lib/bench/profile';
import { startSink, type Sink } from './lib/bench/sink';
import { startStorageProxy, type StorageCall } from './lib/bench/storageProxy';

/**
 * `npm run bench`: what one Norrbus bot process carries, side by side with the floor of its stack.
 *
 * Azurite (in memory), the built bot (`dist/src/main.js`, local mode) and a bare botbuilder echo
 * bot run as child processes; a connector sink on loopback answers every call to Teams at once.
 * autocannon posts real Bot Framework activities to `/api/messages` of each in turn: every run of
 * the bot is paired with one of the echo bot under the same load, alternating which goes first,
 * and the ratio of each pair is taken (the machine is noisy; a pair shares its noise). It prints
 * the table and writes bench/RESULTS.md. BENCH_QUICK=1 for a short try of the script itself.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1.5 : 3));
const PAIRS = Number(process.env.BENCH_PAIRS ?? (QUICK ? 1 : 3));
const CONCURRENCY = [1, 10, 50];
const MEMORY_FIRST = QUICK ? 1_000 : 10_000;
const MEMORY_MORE = QUICK ? 2_000 : 20_000;
const MEMORY_ANSWER_EVERY = 25;
const SETUP_MEETINGS = QUICK ? 20 : 60;
const STARTS = 3;
const PREFIX = 'bench';

type ScenarioKey = 'help' | 'answer' | 'newMeeting' | 'commitment';

interface Scenario {
  key: ScenarioKey;
  title: string;
  next(): Record<string, unknown>;
  /** The body check for the Norrbus bot; the echo bot's answers are checked by `echoVerify`. */
  verify(body: string): boolean;
  /** Whether this is a card action (an invoke: the card comes back in the answer). */
  invoke: boolean;
}

interface Pair {
  bot: LoadResult;
  echo: LoadResult;
  ratio: number;
}

interface Row {
  scenario: Scenario;
  connections: number;
  pairs: Pair[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function echoVerify(invoke: boolean): (body: string) => boolean {
  return invoke ? (body) => body.includes('"Echo"') : (body) => body === '';
}

/** Waits until every meeting named has both summons recorded as posted and nothing pending (the outbox drained). */
async function settled(store: Store, meetingIds: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const id of meetingIds) {
    for (;;) {
      const m = (await store.meetings.get(id))?.value;
      if (m && m.pending.length === 0 && m.summons.socialtjanst?.threadId && m.summons.primarvard?.threadId) break;
      if (Date.now() > deadline) throw new Error(`meeting ${id} not settled within ${timeoutMs / 1000} s: ${JSON.stringify(m?.pending ?? 'missing')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function post(endpoint: string, activity: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  return { status: response.status, body: await response.text() };
}

/** Runs `fn` over the items, at most `limit` at once. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

interface SummonsTarget {
  meetingId: string;
  party: activities.SummonedParty;
  threadId: string;
  cardId: string;
  time: string;
}

interface ConvenedTarget {
  meetingId: string;
  threadId: string;
}

/** The load's state: ids of what the real flow created, so every activity is valid for storage. */
class Workload {
  private seq = 0;
  readonly convened: ConvenedTarget[] = [];
  summons: SummonsTarget[] = [];
  /** Meetings created by `nytt möte` under load (only the bot's runs create any). */
  collecting = false;

  constructor(
    private readonly serviceUrl: string,
    private readonly now: Date,
  ) {}

  nextSeq(): number {
    return ++this.seq;
  }

  help = (): Record<string, unknown> => activities.personalMessage(this.serviceUrl, 'skola', 'norrbus hjälp');

  newMeeting = (): Record<string, unknown> => {
    const n = this.nextSeq();
    const made = activities.submitIntake(this.serviceUrl, `bench-intake-${n}`, `BENCH-${n}`, this.now);
    if (this.collecting) this.convened.push({ meetingId: made.meetingId, threadId: made.threadId });
    return made.activity;
  };

  answer = (): Record<string, unknown> => {
    const n = this.nextSeq();
    const target = this.summons[n % this.summons.length];
    // A new participant each time: every answer is a real change (read, conditional write, outbox).
    return activities.answerSummons(this.serviceUrl, target.party, target, `Deltagare ${n}, handläggare`);
  };

  private readonly followUp = addWorkingDays(dateInStockholm(new Date()), 30);

  commitment = (): Record<string, unknown> => {
    const n = this.nextSeq();
    // Spread over every meeting convened so far: a few commitments each, as in a real plan.
    const meeting = this.convened[n % this.convened.length];
    return activities.saveCommitment(this.serviceUrl, meeting, `bench-commitment-${n}`, this.followUp);
  };
}

async function measurePair(scenario: Scenario, connections: number, bot: BenchBot, echo: BenchBot, botFirst: boolean, work: Workload, sink: Sink): Promise<Pair> {
  const runBot = async () => {
    work.collecting = scenario.key === 'newMeeting';
    sink.reset();
    const result = await load({ endpoint: bot.endpoint, connections, seconds: RUN_SECONDS, next: scenario.next, verify: scenario.verify });
    work.collecting = false;
    // A help answer is a card posted through the connector: one post per request.
    if (scenario.key === 'help' && sink.counts.post < result.requests) result.failed += result.requests - sink.counts.post;
    return result;
  };
  const runEcho = () => load({ endpoint: echo.endpoint, connections, seconds: RUN_SECONDS, next: scenario.next, verify: echoVerify(scenario.invoke) });
  let botResult: LoadResult;
  let echoResult: LoadResult;
  if (botFirst) {
    botResult = await runBot();
    echoResult = await runEcho();
  } else {
    echoResult = await runEcho();
    botResult = await runBot();
  }
  return { bot: botResult, echo: echoResult, ratio: botResult.rps / echoResult.rps };
}

/** One request of the scenario through a bot whose storage goes through the counting proxy: round trips in the request, and after it (the outbox). */
async function countRoundTrips(endpoint: string, proxy: { calls: readonly StorageCall[]; reset(): void }, activity: Record<string, unknown>): Promise<{ inRequest: StorageCall[]; after: StorageCall[] }> {
  proxy.reset();
  const answer = await post(endpoint, activity);
  if (answer.status !== 200) throw new Error(`counting: ${answer.status} ${answer.body.slice(0, 200)}`);
  const inRequest = [...proxy.calls];
  // The outbox drain the turn triggered: wait until storage has been quiet for 500 ms.
  let seen = proxy.calls.length;
  for (let quietSince = Date.now(); Date.now() - quietSince < 500; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (proxy.calls.length !== seen) {
      seen = proxy.calls.length;
      quietSince = Date.now();
    }
  }
  return { inRequest, after: proxy.calls.slice(inRequest.length) };
}

function describeCalls(calls: StorageCall[]): string {
  if (calls.length === 0) return '0';
  const by = new Map<string, number>();
  for (const c of calls) by.set(`${c.op} ${c.table}`, (by.get(`${c.op} ${c.table}`) ?? 0) + 1);
  return `${calls.length} (${[...by.entries()].map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join(', ')})`;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), Node ${process.version}, ${os.platform()} ${os.release()}`;
  log(`Norrbus benchmark${QUICK ? ' (BENCH_QUICK: short runs, figures not comparable)' : ''}: ${machine}`);

  const azurite = await startMemoryAzurite();
  const sink = await startSink({ members: activities.rosterMembers() });
  const cleanups: (() => Promise<unknown>)[] = [() => azurite.child.stop('SIGINT'), () => sink.close()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const store = await openStore({ connectionString: azurite.connectionString, tablePrefix: PREFIX });
    const now = new Date();
    await seedDemoDirectory(store, { skola: sink.serviceUrl, socialtjanst: sink.serviceUrl, primarvard: sink.serviceUrl }, now);

    // Start-up: process start to /healthz answering 200 (storage running, tables existing), median of STARTS.
    const startups: number[] = [];
    for (let i = 0; i < STARTS - 1; i++) {
      const probe = await startNorrbus('norrbus (start-up)', azurite.connectionString, PREFIX);
      startups.push(probe.startupMs);
      await probe.child.stop('SIGTERM');
    }
    const bot = await startNorrbus('norrbus', azurite.connectionString, PREFIX);
    cleanups.push(() => bot.child.stop('SIGTERM'));
    startups.push(bot.startupMs);
    const echo = await startEcho();
    cleanups.push(() => echo.child.stop('SIGTERM'));
    log(`start-up to /healthz: ${startups.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}; echo bot ${echo.startupMs.toFixed(0)} ms`);

    // Real state first: meetings convened through the real flow, their summons posted by the outbox.
    const work = new Workload(sink.serviceUrl, now);
    const check = async (what: string, activity: Record<string, unknown>, ok: (body: string) => boolean) => {
      const answer = await post(bot.endpoint, activity);
      if (answer.status !== 200 || !ok(answer.body)) throw new Error(`${what}: the bot answered ${answer.status} ${answer.body.slice(0, 300)}`);
    };
    const helpPosts = sink.counts.post;
    await check('help', work.help(), (b) => b === '');
    if (sink.counts.post !== helpPosts + 1) throw new Error('help: no card reached the connector');
    work.collecting = true;
    await mapLimit(Array.from({ length: SETUP_MEETINGS }), 10, () => check('nytt möte', work.newMeeting(), (b) => b.includes('Norrbusmöte BENCH-')));
    work.collecting = false;
    await settled(store, work.convened.map((c) => c.meetingId));
    const [time] = activities.proposedTimes(now);
    for (const { meetingId } of work.convened) {
      const m = (await store.meetings.get(meetingId))!.value;
      for (const party of ['socialtjanst', 'primarvard'] as const) {
        work.summons.push({ meetingId, party, threadId: m.summons[party]!.threadId!, cardId: m.summons[party]!.activityId!, time });
      }
    }
    await check('summons answer', work.answer(), (b) => b.includes('Deltar: Deltagare'));
    const savedText = 'Åtagandet är sparat i planen för BENCH-';
    if (!sv.commitment.saved('BENCH-1').startsWith(savedText)) throw new Error('the commitment notice changed: update the benchmark check');
    await check('commitment', work.commitment(), (b) => b.includes(savedText));
    log(`set up: ${SETUP_MEETINGS} meetings convened (two summons each, posted), each scenario checked once`);

    const scenarios: Scenario[] = [
      { key: 'help', title: '`norrbus hjälp` (message; help card posted)', next: work.help, verify: (b) => b === '', invoke: false },
      { key: 'answer', title: 'summons answer (Action.Execute)', next: work.answer, verify: (b) => b.includes('Deltar: Deltagare'), invoke: true },
      { key: 'newMeeting', title: '`nytt möte` submitted, two summons', next: work.newMeeting, verify: (b) => b.includes('Norrbusmöte BENCH-'), invoke: true },
      { key: 'commitment', title: 'commitment saved (Action.Execute)', next: work.commitment, verify: (b) => b.includes(savedText), invoke: true },
    ];

    const rows: Row[] = [];
    for (const scenario of scenarios) {
      // Warm-up, not measured: JIT, connections, the scenario's first storage reads.
      await load({ endpoint: bot.endpoint, connections: 10, seconds: Math.min(2, RUN_SECONDS), next: scenario.next });
      await load({ endpoint: echo.endpoint, connections: 10, seconds: Math.min(2, RUN_SECONDS), next: scenario.next });
      for (const connections of CONCURRENCY) {
        const row: Row = { scenario, connections, pairs: [] };
        for (let p = 0; p < PAIRS; p++) row.pairs.push(await measurePair(scenario, connections, bot, echo, p % 2 === 0, work, sink));
        rows.push(row);
        const last = row.pairs.map((x) => x.ratio.toFixed(2)).join(', ');
        log(`${scenario.key} @${connections}: bot ${fixed(median(row.pairs.map((x) => x.bot.rps)))} req/s p99 ${fixed(median(row.pairs.map((x) => x.bot.p99)))} ms; echo ${fixed(median(row.pairs.map((x) => x.echo.rps)))} req/s; ratios ${last}`);
        const failed = row.pairs.reduce((n, x) => n + x.bot.failed + x.echo.failed, 0);
        if (failed > 0) log(`  ${failed} requests failed or answered wrongly in these runs`);
      }
      // What the turns left to send (plan cards, status cards) goes out before the next scenario.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // Memory: resident size after 10,000 activities, and after 20,000 more: help, with a summons
    // answer every MEMORY_ANSWER_EVERY (so storage clients, the outbox and card rendering are used
    // too, without the run taking minutes: an answer costs ~27 storage round trips).
    let mixed = 0;
    const mix = () => (++mixed % MEMORY_ANSWER_EVERY === 0 ? work.answer() : work.help());
    const rssStart = bot.rss();
    const first = await load({ endpoint: bot.endpoint, connections: 10, amount: MEMORY_FIRST, next: mix });
    const rssFirst = bot.rss();
    const more = await load({ endpoint: bot.endpoint, connections: 10, amount: MEMORY_MORE, next: mix });
    const rssMore = bot.rss();
    log(`memory (help, an answer every ${MEMORY_ANSWER_EVERY}th): ${mb(rssStart)} before, ${mb(rssFirst)} after ${MEMORY_FIRST.toLocaleString('en')}, ${mb(rssMore)} after ${MEMORY_MORE.toLocaleString('en')} more (${first.failed + more.failed} failed)`);

    // Two instances on one storage: the answers split over two processes, against one process with all the connections.
    const second = await startNorrbus('norrbus 2', azurite.connectionString, PREFIX);
    cleanups.push(() => second.child.stop('SIGTERM'));
    const twoConnections = 20;
    const twoPairs: { one: number; two: number }[] = [];
    for (let p = 0; p < Math.max(2, PAIRS - 1); p++) {
      const one = () => load({ endpoint: bot.endpoint, connections: twoConnections, seconds: RUN_SECONDS, next: work.answer }).then((r) => r.rps);
      const two = async () => {
        const [a, b] = await Promise.all([
          load({ endpoint: bot.endpoint, connections: twoConnections / 2, seconds: RUN_SECONDS, next: work.answer }),
          load({ endpoint: second.endpoint, connections: twoConnections / 2, seconds: RUN_SECONDS, next: work.answer }),
        ]);
        return a.rps + b.rps;
      };
      if (p % 2 === 0) twoPairs.push({ one: await one(), two: await two() });
      else {
        const t = await two();
        twoPairs.push({ one: await one(), two: t });
      }
    }
    log(`two instances: ${twoPairs.map((p) => `${p.two.toFixed(0)} vs ${p.one.toFixed(0)}`).join(', ')} answers/s`);
    await second.child.stop('SIGTERM');
    await echo.child.stop('SIGTERM');
    await bot.child.stop('SIGTERM');

    // Storage round trips: a bot whose storage calls go through a counting proxy, alone (the others
    // stopped, so no other outbox takes its work), its own outbox interval out of the way.
    const proxy = await startStorageProxy(azurite.port, PREFIX);
    cleanups.push(() => proxy.close());
    // What the stopped processes left in the outbox (sends they had claimed under load) would be walked
    // by every drain until their leases run out: cleared, so "after" is the counted turn's own work.
    for (const mark of await store.outbox.list()) await store.outbox.clear(mark).catch(() => undefined);
    const counted = await startNorrbus('norrbus (counted)', azuriteConnectionString(proxy.port), PREFIX, { OUTBOX_INTERVAL_SECONDS: '3600' });
    cleanups.push(() => counted.child.stop('SIGTERM'));
    const roundTrips: Record<ScenarioKey, { inRequest: StorageCall[]; after: StorageCall[] }> = {} as never;
    for (const scenario of scenarios) {
      // The second of two (the first pays for warming up); a summons answer to a meeting not answered by this process before.
      await countRoundTrips(counted.endpoint, proxy, scenario.next());
      roundTrips[scenario.key] = await countRoundTrips(counted.endpoint, proxy, scenario.next());
    }
    await counted.child.stop('SIGTERM');
    for (const s of scenarios) log(`round trips, ${s.key}: in the request ${describeCalls(roundTrips[s.key].inRequest)}; after it ${describeCalls(roundTrips[s.key].after)}`);

    // Targets, and a CPU profile of the bot under the load of every scenario whose target is missed.
    const at = (key: ScenarioKey, connections: number) => rows.find((r) => r.scenario.key === key && r.connections === connections)!;
    const p99 = (row: Row) => median(row.pairs.map((x) => x.bot.p99));
    const helpRatio = median(at('help', 10).pairs.map((x) => x.ratio));
    const memoryGrowth = (rssMore - rssFirst) / rssFirst;
    const startup = median(startups);
    const targets = [
      { what: '`norrbus hjälp` at least 0.9 of the echo bot (median ratio, 10 concurrent)', figure: helpRatio.toFixed(2), met: helpRatio >= 0.9, scenario: 'help' as ScenarioKey },
      { what: 'summons answer p99 under 100 ms at 10 concurrent', figure: `${fixed(p99(at('answer', 10)))} ms`, met: p99(at('answer', 10)) < 100, scenario: 'answer' as ScenarioKey },
      { what: '`nytt möte` p99 under 250 ms at 10 concurrent', figure: `${fixed(p99(at('newMeeting', 10)))} ms`, met: p99(at('newMeeting', 10)) < 250, scenario: 'newMeeting' as ScenarioKey },
      { what: `memory flat: resident size after ${MEMORY_MORE.toLocaleString('en')} more activities within 10 % of that after the first ${MEMORY_FIRST.toLocaleString('en')}`, figure: `${mb(rssFirst)} → ${mb(rssMore)} (${(memoryGrowth * 100).toFixed(1)} %)`, met: memoryGrowth <= 0.1, scenario: undefined },
      { what: 'start-up (process start to /healthz 200, storage running) under 2 s', figure: `${startup.toFixed(0)} ms`, met: startup < 2_000, scenario: undefined },
    ];
    const profiles: { scenario: ScenarioKey; summary: ProfileSummary }[] = [];
    for (const target of targets.filter((t) => !t.met && t.scenario)) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'norrbus-bench-profile-'));
      const profiled = await startNorrbus('norrbus (profiled)', azurite.connectionString, PREFIX, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      cleanups.push(() => profiled.child.stop('SIGTERM'));
      const scenario = scenarios.find((s) => s.key === target.scenario)!;
      // Start-up and a warm-up are left out of the summary: only the samples under the measured load count.
      const readyAt = performance.now();
      await load({ endpoint: profiled.endpoint, connections: 10, seconds: 2, next: scenario.next });
      const skipMs = profiled.startupMs + (performance.now() - readyAt);
      await load({ endpoint: profiled.endpoint, connections: 10, seconds: Math.max(RUN_SECONDS, 3), next: scenario.next });
      await profiled.child.stop('SIGTERM');
      const file = newestProfile(dir);
      if (file) profiles.push({ scenario: scenario.key, summary: summariseProfile(file, skipMs) });
    }

    const results = renderResults({
      machine,
      rows,
      targets,
      startups,
      echoStartup: echo.startupMs,
      memory: { start: rssStart, first: rssFirst, more: rssMore, firstRps: first.rps, moreRps: more.rps },
      twoPairs,
      twoConnections,
      roundTrips,
      scenarios,
      profiles,
      minutes: (Date.now() - startedAt) / 60_000,
    });
    console.log(`\n${results}`);
    mkdirSync(path.join(projectRoot(), 'bench'), { recursive: true });
    const out = path.join(projectRoot(), 'bench', 'RESULTS.md');
    writeFileSync(out, results);
    log(`written to ${path.relative(process.cwd(), out)}`);
  } finally {
    await stopAll();
  }
}

interface Rendered {
  machine: string;
  rows: Row[];
  targets: { what: string; figure: string; met: boolean }[];
  startups: number[];
  echoStartup: number;
  memory: { start: number; first: number; more: number; firstRps: number; moreRps: number };
  twoPairs: { one: number; two: number }[];
  twoConnections: number;
  roundTrips: Record<ScenarioKey, { inRequest: StorageCall[]; after: StorageCall[] }>;
  scenarios: Scenario[];
  profiles: { scenario: ScenarioKey; summary: ProfileSummary }[];
  minutes: number;
}

function renderResults(r: Rendered): string {
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`Written by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${r.minutes.toFixed(1)} min: ${r.machine}.${QUICK ? ' **BENCH_QUICK: short runs; not figures to quote.**' : ''}`, '');
  lines.push(
    `Each figure is the median over ${PAIRS} alternating pair${PAIRS > 1 ? 's' : ''} of ${RUN_SECONDS} s runs: the Norrbus bot (\`dist/src/main.js\`, local mode, LOG_LEVEL=warn, Azurite in memory) and a bare botbuilder CloudAdapter echo bot on restify, under the same load from autocannon (keep-alive connections, one request in flight on each), both replying to the same loopback connector sink that answers at once. The ratio is bot ÷ echo requests per second within each pair, then the median of those. Every answer is checked (status, and for card actions the card that comes back); "failed" counts any that was not right.`,
    '',
  );
  lines.push('## Targets', '', '| target | figure | |', '| --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.what} | ${t.figure} | ${t.met ? 'met' : '**missed**'} |`);
  lines.push('', '## Side by side', '');
  lines.push('| scenario | concurrent | bot req/s | bot p50 ms | bot p99 ms | echo req/s | echo p50 ms | echo p99 ms | ratio (median; pairs) | failed |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const row of r.rows) {
    const m = (f: (p: Pair) => number, d = 0) => fixed(median(row.pairs.map(f)), d);
    const failed = row.pairs.reduce((n, p) => n + p.bot.failed + p.echo.failed, 0);
    lines.push(
      `| ${row.scenario.title} | ${row.connections} | ${m((p) => p.bot.rps)} | ${m((p) => p.bot.p50)} | ${m((p) => p.bot.p99)} | ${m((p) => p.echo.rps)} | ${m((p) => p.echo.p50)} | ${m((p) => p.echo.p99)} | **${m((p) => p.ratio, 2)}** (${row.pairs.map((p) => p.ratio.toFixed(2)).join(', ')}) | ${failed} |`,
    );
  }
  lines.push('', 'The echo bot answers a card action with a small card and does nothing else, so for the card actions the ratio says how much of the floor the bot\'s storage work leaves; for `norrbus hjälp` both post one message through the connector and neither touches storage in the request.', '');
  lines.push('## Memory and start-up', '');
  lines.push(
    `Resident set size of the bot process (from /proc): ${mb(r.memory.start)} after the scenarios above, ${mb(r.memory.first)} after ${MEMORY_FIRST.toLocaleString('en')} more activities (\`norrbus hjälp\` with a summons answer every ${MEMORY_ANSWER_EVERY}th, 10 concurrent, ${r.memory.firstRps.toFixed(0)} req/s), ${mb(r.memory.more)} after ${MEMORY_MORE.toLocaleString('en')} more (${r.memory.moreRps.toFixed(0)} req/s).`,
    '',
  );
  lines.push(`Start-up, process start to the first 200 from \`/healthz\` (which asks storage), Azurite already running: ${r.startups.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (median ${median(r.startups).toFixed(0)} ms); the echo bot ${r.echoStartup.toFixed(0)} ms.`, '');
  lines.push('## Two instances on one storage', '');
  lines.push(
    `Summons answers with ${r.twoConnections} connections: split over two bot processes on the same Azurite (${r.twoConnections / 2} each) against one process with all ${r.twoConnections}, alternating: ${r.twoPairs.map((p) => `${p.two.toFixed(0)} vs ${p.one.toFixed(0)}`).join(', ')} answers/s, pair ÷ one **${median(r.twoPairs.map((p) => p.two / p.one)).toFixed(2)}**. On one machine the two processes share the same cores with Azurite and the load generator, so this shows that a second instance adds no coordination cost, not how far N machines scale (docs/SCALING.md). That every summons, answer and reminder goes out exactly once with two instances is checked by test/e2e/twoInstances.test.ts.`,
    '',
  );
  lines.push('## Storage round trips', '');
  lines.push('One request of each scenario through a bot whose storage calls pass a counting proxy (the only bot running), warm; "after" is what the outbox drain that the turn triggers does once the answer has gone back (posting summons, refreshing cards).', '');
  lines.push('| scenario | in the request | after it (outbox) |', '| --- | --- | --- |');
  for (const s of r.scenarios) lines.push(`| ${s.title} | ${describeCalls(r.roundTrips[s.key].inRequest)} | ${describeCalls(r.roundTrips[s.key].after)} |`);
  lines.push('');
  lines.push('## Reminder pass', '');
  lines.push('Measured by `npm run bench:reminders` (README, "Reminder pass benchmark"): one pass with 100 due among 100,000 stored took 1.23 s against 1.33 s with 100 due among 1,000 (ratio 0.93), because a pass reads only the partitions up to today.', '');
  if (r.profiles.length) {
    lines.push('## CPU profiles of missed targets', '');
    for (const { scenario, summary } of r.profiles) {
      const title = r.scenarios.find((s) => s.key === scenario)!.title;
      lines.push(`${title}, 10 concurrent, \`node --cpu-prof\` under the load only (start-up and warm-up left out): ${(summary.totalMs / 1000).toFixed(1)} s on the CPU (idle left out). Self time by owner:`, '');
      lines.push(summary.byOwner.map((o) => `${o.owner} ${(o.share * 100).toFixed(0)} %`).join(' · '), '');
      lines.push('Heaviest functions (self time): ' + summary.byFunction.slice(0, 8).map((f) => `\`${f.name}\` (${f.owner}) ${(f.share * 100).toFixed(1)} %`).join(', '), '');
    }
  }
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
