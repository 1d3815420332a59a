import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/projectRoot';

/**
 * `npm run screenshots`: runs the browser tests, which write their pictures to the git-ignored
 * test-results/screenshots/, then copies them to docs/ for the README ("Rundan i bilder" and the
 * named cards). `npm test` writes the same pictures but never touches docs/, so a test run leaves
 * the work tree clean; this is the one command that changes docs/*.png.
 */
const TESTS = ['test/e2e/journey.test.ts', 'test/e2e/browser.test.ts', 'test/e2e/browserMeeting.test.ts', 'test/stats/html.test.ts'];
/** The pictures the README shows besides the journey's. */
const NAMED = ['help-card.png', 'registered-channel.png', 'intake-card.png', 'status-card.png', 'summons-card.png', 'stats-report.png'];
const JOURNEY = /^journey-\d\d-[a-z0-9-]+\.png$/;

function main(): void {
  const root = projectRoot();
  const shots = path.join(root, 'test-results', 'screenshots');
  const docs = path.join(root, 'docs');
  // Start empty, so only what this run took is copied.
  rmSync(shots, { recursive: true, force: true });
  const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', ...TESTS], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NORRBUS_UPDATE_SCREENSHOTS: '0' },
  });
  if (run.status !== 0) throw new Error(`The browser tests failed (exit ${run.status ?? run.signal}); docs/ is unchanged.`);

  const taken = existsSync(shots) ? readdirSync(shots).filter((f) => f.endsWith('.png')) : [];
  const journey = taken.filter((f) => JOURNEY.test(f)).sort();
  const missing = NAMED.filter((f) => !taken.includes(f));
  if (journey.length === 0 || missing.length) {
    throw new Error(
      `The browser tests took no ${journey.length === 0 ? 'journey pictures' : missing.join(', ')} (is /usr/bin/chromium installed? "apt-get install chromium"); docs/ is unchanged.`,
    );
  }
  mkdirSync(docs, { recursive: true });
  // A journey step that is gone (renamed or removed) takes its old picture with it.
  for (const old of readdirSync(docs).filter((f) => JOURNEY.test(f) && !journey.includes(f))) rmSync(path.join(docs, old));
  for (const file of [...journey, ...NAMED]) copyFileSync(path.join(shots, file), path.join(docs, file));
  console.log(`Copied ${journey.length + NAMED.length} screenshots to docs/: ${[...journey, ...NAMED].join(', ')}.`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
