import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/store/store';
import { CLI, norrbus } from '../support/cli';
import { testTablePrefix } from '../support/store';
import { meetingId, storedCommitment, storedDeviation, storedMeeting } from '../stats/seed';

/**
 * `norrbus stats` as an operator runs it: `node dist/src/cli/main.js` with the storage in the
 * environment. `npm test` builds first; run on its own, the test builds only when dist is missing.
 */
const root = join(__dirname, '../..');

describe('norrbus stats', () => {
  const storage = { connectionString: '', tablePrefix: testTablePrefix() };
  const env = () => ({ STORAGE_CONNECTION_STRING: storage.connectionString, STORAGE_TABLE_PREFIX: storage.tablePrefix });

  beforeAll(async () => {
    if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    storage.connectionString = inject('storageConnectionString');
    const store = await openStore(storage);
    // Seven meetings in Luleå (shown), two in Övertorneå (suppressed).
    for (let n = 1; n <= 7; n++) {
      await store.meetings.create(
        storedMeeting({ n, municipality: 'Luleå', summoned: ['socialtjanst', 'primarvard'], consentDate: '2025-04-16', summonsDate: '2025-04-22', answered: { socialtjanst: '2025-04-24', primarvard: '2025-04-23' }, fixedDate: '2025-05-06', gender: n <= 5 ? 'flicka' : 'pojke', age: 9 }),
      );
    }
    for (let n = 8; n <= 9; n++) {
      await store.meetings.create(storedMeeting({ n, municipality: 'Övertorneå', summoned: ['skola'], convener: 'socialtjanst', consentDate: '2025-09-01', summonsDate: '2025-09-03', fixedDate: '2025-09-10' }));
    }
    await store.commitments.create(storedCommitment(meetingId(1), 1, 'skola', '2025-06-02', 'done', '2025-05-30'));
    await store.deviations.create(storedDeviation('Luleå', 1, 'summonsNotAnswered', 'primarvard', '2025-04-28', meetingId(1)));
  }, 120_000);

  it('prints the county and each municipality as CSV, small counts as "<5"', async () => {
    const { code, stdout, stderr } = await norrbus(['stats', '--year', '2025'], env());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\r\n');
    expect(lines[0]).toBe('kommun,grupp,indikator,beskrivning,värde');
    expect(lines).toContain('Norrbotten,alla,meetings.initiated,Initierade möten,9');
    expect(lines).toContain('Luleå,alla,meetings.initiated,Initierade möten,7');
    expect(lines).toContain('Luleå,alla,meetings.held,Hållna möten,7');
    expect(lines).toContain('Luleå,kön:flicka,meetings.initiated,Initierade möten,5');
    expect(lines).toContain('Luleå,kön:pojke,meetings.initiated,Initierade möten,<5');
    expect(lines).toContain('Övertorneå,alla,meetings.initiated,Initierade möten,<5');
    expect(lines).toContain('Arjeplog,alla,meetings.initiated,Initierade möten,0');
    // Across Easter: consent 16 April, summons 22 April = 2 working days.
    expect(lines).toContain('Luleå,alla,consentToSummons.median,"Samtycke → kallelse, median (arbetsdagar)",2');
    expect(lines).toContain('Luleå,alla,answers.socialtjanst.rate,Socialtjänst: andel som svarat,1');
    expect(lines).toContain('Övertorneå,alla,consentToSummons.median,"Samtycke → kallelse, median (arbetsdagar)",<5');
    expect(lines).toContain('Luleå,alla,deviations.total,Avvikelser,<5');
    expect(lines.filter((l) => l.startsWith('Pajala,')).every((l) => /,(0|)$/.test(l))).toBe(true);
  });

  it('reports each länsdel too, between the county and the municipalities, with the same suppression', async () => {
    const { code, stdout } = await norrbus(['stats', '--year', '2025'], env());
    expect(code).toBe(0);
    const lines = stdout.split('\r\n');
    const scopes = [...new Set(lines.slice(1).filter(Boolean).map((l) => l.split(',')[0]))];
    expect(scopes.slice(0, 5)).toEqual(['Norrbotten', 'Norra länsdelen', 'Östra länsdelen', 'Södra länsdelen', 'Västra länsdelen']);
    expect(scopes.slice(5)).toEqual(['Arjeplog', 'Arvidsjaur', 'Boden', 'Gällivare', 'Haparanda', 'Jokkmokk', 'Kalix', 'Kiruna', 'Luleå', 'Pajala', 'Piteå', 'Älvsbyn', 'Överkalix', 'Övertorneå']);
    expect(lines).toContain('Södra länsdelen,alla,meetings.initiated,Initierade möten,7');
    expect(lines).toContain('Södra länsdelen,kön:pojke,meetings.initiated,Initierade möten,<5');
    expect(lines).toContain('Södra länsdelen,alla,deviations.total,Avvikelser,<5');
    expect(lines).toContain('Östra länsdelen,alla,meetings.initiated,Initierade möten,<5');
    expect(lines).toContain('Norra länsdelen,alla,meetings.initiated,Initierade möten,0');
  });

  it('reports one länsdel and its municipalities with --lansdel, by name or id', async () => {
    for (const name of ['sodra', 'SÖDRA länsdelen']) {
      const { code, stdout } = await norrbus(['stats', '--year', '2025', '--lansdel', name, '--format', 'json'], env());
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { scopes: { scope: string; groups: Record<string, Record<string, unknown>> }[] };
      expect(report.scopes.map((s) => s.scope)).toEqual(['Södra länsdelen', 'Luleå', 'Boden', 'Piteå', 'Älvsbyn']);
      expect(report.scopes[0].groups.alla['meetings.initiated']).toBe(7);
    }
    const bad = await norrbus(['stats', '--year', '2025', '--lansdel', 'mitten'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lansdel är ingen av länsdelarna: Norra länsdelen, Östra länsdelen, Södra länsdelen, Västra länsdelen/);
    const both = await norrbus(['stats', '--year', '2025', '--lansdel', 'sodra', '--kommun', 'Luleå'], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/antingen --kommun eller --lansdel/);
  }, 120_000);

  it('reports one municipality named in any case, without diacritics, as JSON', async () => {
    const { code, stdout } = await norrbus(['stats', '--year=2025', '--kommun', 'LULEA', '--format', 'json'], env());
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { year: number; scopes: { scope: string; groups: Record<string, Record<string, unknown>> }[] };
    expect(report.year).toBe(2025);
    expect(report.scopes.map((s) => s.scope)).toEqual(['Luleå']);
    expect(report.scopes[0].groups.alla['meetings.initiated']).toBe(7);
    expect(report.scopes[0].groups['ålder:6–12']['meetings.initiated']).toBe(7);
    expect(report.scopes[0].groups['ålder:0–5']['meetings.initiated']).toBe(0);
  });

  it('writes the HTML page to stdout', async () => {
    const { code, stdout } = await norrbus(['stats', '--year', '2025', '--format', 'html'], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<!doctype html>/);
    expect(stdout).toContain('<title>Norrbus – uppföljning 2025 – Norrbottens län</title>');
    expect(stdout).not.toMatch(/(src|href)="https?:/);
  });

  it.each([
    [['stats'], /--year saknas/],
    [['stats', '--year'], /ogiltigt argument/],
    [['stats', '--year', '25'], /--year måste vara ett årtal.*"25"/],
    [['stats', '--year', 'tjugo'], /--year måste vara ett årtal/],
    [['stats', '--year', '2025', '--format', 'pdf'], /--format måste vara csv, json eller html.*"pdf"/],
    [['stats', '--year', '2025', '--kommun', 'Stockholm'], /--kommun "Stockholm" är inte en av Norrbottens 14 kommuner/],
    [['stats', '--year', '2025', '--kommun'], /ogiltigt argument/],
    [['stats', '--year', '2025', '--verbose'], /ogiltigt argument.*--verbose/],
    [['stats', '--year', '2025', 'extra'], /ogiltigt argument/],
  ])('fails with a clear message and exit code 2 on bad arguments: %j', async (args, message) => {
    const { code, stdout, stderr } = await norrbus(args, env());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/norrbus stats --year <ÅÅÅÅ>/);
  });

  it('is listed in the overall usage and shows its own on --help', async () => {
    expect((await norrbus(['--help'])).stdout).toMatch(/stats\s+skriver årets uppföljningsindikatorer/);
    const help = await norrbus(['stats', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--format\s+csv \(standard\), json eller html/);
  });
});
