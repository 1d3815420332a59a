import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../../scripts/lib/appPackage';
import { projectRoot } from '../../src/projectRoot';

const run = promisify(execFile);
const root = projectRoot();
const script = path.join(root, 'dist', 'scripts', 'package-app.js');
const out = mkdtempSync(path.join(os.tmpdir(), 'norrbus-package-'));
const BOT_ID = '7c1f0e2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f';

/** `npm run package -- --env <env>` as built (npm test builds first), writing into a folder of the test's own. */
async function packageApp(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // The values a provisioned environment has; the process environment overrides env/.env.dev.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['BOT_ID', 'BOT_DOMAIN', 'TEAMS_APP_ID', 'APP_NAME_SUFFIX', 'NORRBUS_ENV'].includes(k)));
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args, '--out', out], { cwd: root, env: { ...clean, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run package -- --env dev', () => {
  it('renders, validates and zips the dev manifest with the bot id, its domain and resource-specific consent', async () => {
    const result = await packageApp(['--env', 'dev'], { BOT_ID });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/appPackage\.dev\.zip \(manifest 1\.24, app id 43918c19-628f-4f44-b680-12f33b5cfa7a\)/);
    const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'appPackage.dev.zip')));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
    expect(await validateManifest(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
    expect(manifest).toMatchObject({
      id: '43918c19-628f-4f44-b680-12f33b5cfa7a',
      name: { short: 'Norrbus-dev' },
      bots: [{ botId: BOT_ID }],
      validDomains: ['norrbus-dev.azurewebsites.net'],
      webApplicationInfo: { id: BOT_ID, resource: 'https://RscBasedStoreApp' },
      authorization: { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }, { name: 'ChatMessage.Read.Chat', type: 'Application' }] } },
    });
  });

  it('refuses without the bot id or the domain, and names them', async () => {
    const noBot = await packageApp(['--env', 'dev']);
    expect(noBot.code).toBe(1);
    expect(noBot.stderr).toMatch(/The app package needs BOT_ID: set it in env\/\.env\.dev or the environment\./);
    const noDomain = await packageApp(['--env', 'dev'], { BOT_ID, BOT_DOMAIN: '' });
    expect(noDomain.code).toBe(1);
    expect(noDomain.stderr).toMatch(/needs BOT_DOMAIN/);
  });

  it('refuses an id the Teams schema does not accept, and an unknown environment', async () => {
    const bad = await packageApp(['--env', 'dev'], { BOT_ID: 'not-a-guid' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/The rendered manifest is not valid:[\s\S]*botId/);
    const unknown = await packageApp(['--env', 'prod']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Miljöfilen env\/\.env\.prod finns inte/);
  });
});
