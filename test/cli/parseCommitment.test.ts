import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { containsPersonalIdentityNumber } from '../../src/domain/privacy';

/**
 * The built CLI as an operator runs it: `node dist/src/cli/main.js`, real stdin and stdout.
 * `npm test` builds first; run on its own (`npx vitest run test/cli`), the test builds only when
 * dist is missing, so after changing the sources run `npm run build` to test the new code.
 */
const root = join(__dirname, '../..');
const cli = join(root, 'dist/src/cli/main.js');

function norrbus(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, [cli, ...args], { input: stdin, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const KEYS = ['party', 'intervention', 'scope', 'performer', 'followUpDate'];

describe('norrbus parse-commitment', () => {
  beforeAll(() => {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  it('reads one sentence per line and writes one JSON object per line, exactly the five keys', () => {
    const input = [
      'Skolan ansvarar för anpassad studiegång, 3 dagar/vecka i liten grupp, utförs av specialpedagog, uppföljning v. 17',
      'Soc: föräldrastöd enligt ABC, 4 träffar, familjebehandlare, uppföljning 23 april',
      'HC gör en sömnutredning, distriktsläkare Berg, uppföljning om tre veckor',
    ].join('\n');
    const { code, stdout, stderr } = norrbus(['parse-commitment', '--today', '2026-03-12'], `${input}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const o of objects) expect(Object.keys(o)).toEqual(KEYS);
    expect(objects).toEqual([
      { party: 'skola', intervention: 'anpassad studiegång', scope: '3 dagar/vecka i liten grupp', performer: 'specialpedagog', followUpDate: '2026-04-20' },
      { party: 'socialtjanst', intervention: 'föräldrastöd enligt ABC', scope: '4 träffar', performer: 'familjebehandlare', followUpDate: '2026-04-23' },
      { party: 'primarvard', intervention: 'sömnutredning', scope: null, performer: 'distriktsläkare Berg', followUpDate: '2026-04-02' },
    ]);
  });

  it('answers every input line in order: an empty line gives all nulls, a line with several commitments its first', () => {
    const { code, stdout } = norrbus(['parse-commitment', '--today=2026-03-12'], 'Skolan: läxhjälp. Soc: stödsamtal\r\n\r\n   \nHC: sömnråd, uppf 15/3');
    expect(code).toBe(0);
    const nothing = { party: null, intervention: null, scope: null, performer: null, followUpDate: null };
    expect(stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
      { ...nothing, party: 'skola', intervention: 'läxhjälp' },
      nothing,
      nothing,
      { ...nothing, party: 'primarvard', intervention: 'sömnråd', followUpDate: '2026-03-15' },
    ]);
  });

  it('does not read a line holding a personnummer: all fields null and an error, nothing of the line echoed, and goes on', () => {
    const input = [
      'Skolan: läxhjälp',
      'Gäller 100315-2386, skolan ansvarar för anpassad studiegång',
      'Soc: stödsamtal för 121212\u20131212, uppföljning 23 april',
      'HC: sömnråd för \uFF11\uFF12\uFF11\uFF12\uFF11\uFF12-\uFF11\uFF12\uFF11\uFF12',
      `Skolan: läxhjälp ${'och mer '.repeat(1000)}121212-1212`,
      'HC: sömnråd, uppf 15/3',
    ].join('\n');
    const { code, stdout, stderr } = norrbus(['parse-commitment', '--today', '2026-03-12'], `${input}\n`);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(containsPersonalIdentityNumber(stdout)).toBe(false);
    expect(stdout).not.toMatch(/anpassad|stödsamtal|och mer/);
    const nothing = { party: null, intervention: null, scope: null, performer: null, followUpDate: null };
    const refused = { ...nothing, error: 'Raden innehåller ett personnummer och lästes inte.' };
    const objects = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toEqual([{ ...nothing, party: 'skola', intervention: 'läxhjälp' }, refused, refused, refused, refused, { ...nothing, party: 'primarvard', intervention: 'sömnråd', followUpDate: '2026-03-15' }]);
    expect(Object.keys(objects[1])).toEqual([...KEYS, 'error']);
  });

  it('writes nothing for no input', () => {
    expect(norrbus(['parse-commitment', '--today', '2026-03-12'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    [['parse-commitment'], /--today saknas/],
    [['parse-commitment', '--today'], /ogiltigt argument/],
    [['parse-commitment', '--today', '12/3'], /--today måste vara ett datum/],
    [['parse-commitment', '--today', '2026-02-30'], /--today måste vara ett datum/],
    [['parse-commitment', '--today', '2026-03-12', '--verbose'], /ogiltigt argument.*--verbose/],
    [['parse-commitment', '--today', '2026-03-12', 'extra'], /ogiltigt argument/],
    [['frobnicate'], /okänt kommando "frobnicate"/],
    [[], /inget kommando/],
  ])('fails with a clear message and exit code 2 on bad arguments: %j', (args, message) => {
    const { code, stdout, stderr } = norrbus(args, 'Skolan: läxhjälp\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/norrbus/);
  });

  it('shows its usage on --help', () => {
    const overall = norrbus(['--help']);
    expect(overall.code).toBe(0);
    expect(overall.stdout).toMatch(/parse-commitment/);
    const command = norrbus(['parse-commitment', '--help']);
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/--today/);
  });
});

/** Arguments are shown back in error messages only when short and free of personnummer. */
describe('norrbus never echoes a personnummer given as an argument', () => {
  beforeAll(() => {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  it.each([
    [['121212-1212'], /okänt kommando \(unknown subcommand\)/],
    [['parse-commitment', '--today', '19121212-1212'], /--today måste vara ett datum ÅÅÅÅ-MM-DD \(invalid --today\)/],
    [['parse-commitment', '--today=100315\u20132386'], /--today måste vara ett datum/],
    [['parse-commitment', '--today', '2026-03-12', '121212-1212'], /ogiltigt argument \(bad argument\)\n/],
    [['parse-commitment', '--121212-1212'], /ogiltigt argument \(bad argument\)\n/],
    [['stats', '--year', '121212-1212'], /--year måste vara ett årtal/],
    [['stats', '--year', '2025', '--format', '121212-1212'], /--format måste vara csv, json eller html/],
    [['stats', '--year', '2025', '--kommun', 'Luleå 121212-1212'], /okänd kommun\. Ange en av Norrbottens 14 kommuner/],
    [['tick', '--at', '20121212-1212'], /--at måste vara en ISO-tid/],
  ])('%j', (args, message) => {
    const { code, stdout, stderr } = norrbus(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(containsPersonalIdentityNumber(stdout + stderr)).toBe(false);
    expect(stderr).not.toMatch(/1212|2386/);
  });

  it('still shows a short, harmless value back', () => {
    expect(norrbus(['parse-commitment', '--today', '12/3']).stderr).toMatch(/inte "12\/3"/);
    expect(norrbus(['frobnicate']).stderr).toMatch(/okänt kommando "frobnicate"/);
  });
});
