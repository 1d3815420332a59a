import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { createAdapter } from '../src/bot/adapter';
import { parseConfig } from '../src/config/config';
import { createLogger } from '../src/log';
import { ReminderPass } from '../src/scheduler/reminderPass';
import { openStore, type Store } from '../src/store/store';
import { Connector } from '../src/teams/connector';
import { Pacer } from '../src/teams/pacing';
import { ORGS } from '../test/support/organisations';
import { Playground } from '../test/support/playground';
import { mapLimit, nudgeDay, seedFutureReminders, seedNudgeMeetings } from '../test/support/reminderSeed';
import { httpCheck, spawnChild, waitUntilReady, type Child } from './lib/child';
import { freePort } from './lib/ports';
import { azuriteConnectionString } from './lib/services';

/**
 * `npm run bench:reminders`: what one reminder pass costs with 100 reminders due among 100,000
 * stored, against 100 due among 1,000. Azurite (in memory) and one Agents Playground run as child
 * processes; the pass runs here, posting real cards into real Playground threads. Not a test: it
 * prints the figures for the README.
 */
const DUE = 100;
/** Reminders the planner stores per seeded meeting: the nudge and three later ones. */
const PER_MEETING = 4;
/** The large table; BENCH_LARGE=5000 for a quick try of the script itself. */
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const RUNS = 3;
const FILL_CONCURRENCY = 32;

async function startAzurite(): Promise<{ child: Child; connectionString: string; cwd: string }> {
  const port = await freePort();
  // In memory; its debug and extent files (if any) land in a temporary working folder.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'norrbus-bench-azurite-'));
  const main = require.resolve('azurite/dist/src/table/main.js');
  const child = spawnChild('azurite', process.execPath, [
    main,
    '--inMemoryPersistence',
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(port),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ], { cwd });
  await waitUntilReady(child, httpCheck(`http://127.0.0.1:${port}/devstoreaccount1/Tables`, () => true));
  return { child, connectionString: azuriteConnectionString(port), cwd };
}

/** Every row of the reminders table, read in full (what a pass that scanned would pay); returns the count and the time. */
async function scanAll(connectionString: string, tablePrefix: string): Promise<{ rows: number; ms: number }> {
  const table = TableClient.fromConnectionString(connectionString, `${tablePrefix}Reminders`, { allowInsecureConnection: true });
  const started = performance.now();
  let rows = 0;
  for await (const _ of table.listEntities()) rows++;
  return { rows, ms: performance.now() - started };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Scenario {
  name: string;
  total: number;
  medianMs: number;
  runsMs: number[];
  scan: { rows: number; ms: number };
  /** The pass's one storage read, `reminders.due(today)`, alone: median of 3. */
  dueReadMs: number;
}

async function scenario(name: string, total: number, connectionString: string, pg: Playground, pass: (store: Store) => ReminderPass, runs = RUNS): Promise<Scenario> {
  const tablePrefix = `bench${total}`;
  const store = await openStore({ connectionString, tablePrefix });
  const { at, nudgeDate } = nudgeDay();
  // Each seeded meeting brings its nudge (due) and 3 later reminders (overdue, deviation, not fixed).
  const future = total - PER_MEETING * DUE;
  console.log(
    `\n${name}: filling ${total.toLocaleString('en')} reminders (${DUE} due ${nudgeDate}, ${(total - DUE).toLocaleString('en')} in the next two years, ${future.toLocaleString('en')} of them written directly) …`,
  );
  const fillStarted = performance.now();
  await seedFutureReminders(store, {
    count: future,
    after: nudgeDate,
    days: 730,
    concurrency: FILL_CONCURRENCY,
    onProgress: (done) => {
      if (done % 10_000 === 0) console.log(`  ${done.toLocaleString('en')} / ${future.toLocaleString('en')} future reminders written (${seconds(performance.now() - fillStarted)})`);
    },
  });
  const runsMs: number[] = [];
  let scan = { rows: 0, ms: 0 };
  const dueReads: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const seeded = await seedNudgeMeetings(store, { party: 'socialtjanst', count: DUE, playground: pg, firstCaseNumber: run * 1000 + total, concurrency: 20 });
    if (run === 1) {
      scan = await scanAll(connectionString, tablePrefix);
      if (scan.rows !== total) throw new Error(`${name}: expected ${total} rows, found ${scan.rows}`);
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const due = await store.reminders.due(nudgeDate);
        dueReads.push(performance.now() - started);
        if (due.length !== DUE) throw new Error(`${name}: ${due.length} due, not ${DUE}`);
      }
    }
    const started = performance.now();
    const result = await pass(store).run(at);
    const ms = performance.now() - started;
    if (result.delivered !== DUE || result.posted !== DUE) throw new Error(`${name}: the pass delivered ${JSON.stringify(result)}, not ${DUE}`);
    runsMs.push(ms);
    console.log(`  run ${run}: ${DUE} delivered in ${seconds(ms)}`);
    // Back to `total` rows: the delivered meetings' later reminders go, the next run seeds new ones.
    await mapLimit(seeded, 20, async ({ meetingId }) => {
      for (const ref of (await store.meetings.get(meetingId))!.value.reminderRefs) await store.reminders.removeRef(ref);
    });
  }
  return { name, total, medianMs: median(runsMs), runsMs, scan, dueReadMs: median(dueReads) };
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  const pg = await Playground.start('http://127.0.0.1:9/api/messages', ORGS.socialtjanst);
  try {
    const config = parseConfig({ NORRBUS_ENV: 'test', STORAGE_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: 'warn', ORGANISATION_DIRECTORY: 'env/organisations.local.json' });
    // Unpaced: this measures how the pass scales with the table, not Teams' rate limits (in Teams the
    // per-bot bound of src/teams/pacing.ts adds 2.5 s per 100 reminders on top).
    const connector = new Connector(createAdapter(config), '', config.serviceHosts, { pacer: Pacer.unlimited() });
    const log = createLogger('warn');
    const pass = (store: Store) => new ReminderPass(store, connector, log, { window: { startHour: 8, endHour: 17 }, leaseMs: 120_000 });
    console.log(`Reminder pass benchmark: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), Node ${process.version}, ${new Date().toISOString()}`);
    console.log(`Each pass: ${DUE} answer nudges due, each in its own thread of one Agents Playground; wall time of ReminderPass.run, median of ${RUNS} (the ${DUE} due re-seeded before each run).`);
    console.log(`Delivered reminders are deleted (their history is the audit trail), so past reminders are not kept in the table by design: the ${LARGE.toLocaleString('en')} are ${DUE} due today and the rest in future partitions.`);

    // Warm-up, not measured: the first sends of a process pay for connections and JIT compilation.
    await scenario('warm-up', 500, azurite.connectionString, pg, pass, 1);

    const large = await scenario(`(a) ${DUE} due among ${LARGE.toLocaleString('en')}`, LARGE, azurite.connectionString, pg, pass);
    const small = await scenario('(b) 100 due among 1,000', 1_000, azurite.connectionString, pg, pass);

    console.log('\nResults');
    for (const s of [large, small]) {
      console.log(
        `  ${s.name}: median ${seconds(s.medianMs)} (runs ${s.runsMs.map(seconds).join(', ')}); of which reading the due reminders ${s.dueReadMs.toFixed(0)} ms; reading every row instead would take ${seconds(s.scan.ms)} for ${s.scan.rows.toLocaleString('en')} rows`,
      );
    }
    console.log(`  ratio (a)/(b): ${(large.medianMs / small.medianMs).toFixed(2)}`);
    console.log('A pass reads only the partitions up to today (PartitionKey le today), so the future reminders are never read.');
  } finally {
    await pg.stop().catch(() => undefined);
    await azurite.child.stop('SIGINT').catch(() => undefined);
    rmSync(azurite.cwd, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
