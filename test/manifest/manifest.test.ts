import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildAppPackage, pngSize, renderManifest, validateManifest } from '../../scripts/lib/appPackage';
import { projectRoot } from '../../src/projectRoot';
import { sv } from '../../src/texts/sv';

const vars = {
  TEAMS_APP_ID: '6f1c2e0a-3b7d-4c59-9a41-2d8e5b7f0c13',
  BOT_ID: '1b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d',
  APP_NAME_SUFFIX: '-dev',
  BOT_DOMAIN: 'norrbus-dev.azurewebsites.net',
};
const manifestDir = path.join(projectRoot(), 'manifest');

describe('Teams app manifest', () => {
  it('renders into a manifest that the Teams schema accepts', async () => {
    const { manifest, missing } = renderManifest(vars);
    expect(missing).toEqual([]);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.22);
    expect(manifest).toMatchObject({ id: vars.TEAMS_APP_ID, name: { short: 'Norrbus-dev' }, validDomains: [vars.BOT_DOMAIN] });
    const [bot] = manifest.bots as { botId: string; scopes: string[] }[];
    expect(bot.botId).toBe(vars.BOT_ID);
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    // Resource-specific consent: the meeting threads' messages reach the bot without @Norrbus.
    expect(manifest).toMatchObject({
      webApplicationInfo: { id: vars.BOT_ID },
      authorization: { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }, { name: 'ChatMessage.Read.Chat', type: 'Application' }] } },
    });
  });

  it('lists the same commands as the help card, within Teams limits', () => {
    const { manifest } = renderManifest(vars);
    const [bot] = manifest.bots as { commandLists: { commands: { title: string; description: string }[] }[] }[];
    const titles = bot.commandLists[0].commands.map((c) => c.title);
    const helpCommands = sv.help.commands.map((c) => c.command.replace(/^norrbus /, '').replace(/ [[‹].*$/, ''));
    expect(titles).toEqual(helpCommands);
    for (const command of bot.commandLists[0].commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('names the values that are missing instead of rendering placeholders', async () => {
    const { manifest, missing } = renderManifest({ TEAMS_APP_ID: vars.TEAMS_APP_ID });
    expect(missing).toEqual(['BOT_ID']);
    expect((await validateManifest(manifest)).join('\n')).toMatch(/botId/);
  });

  it('is refused by the schema when an id is not a GUID', async () => {
    const { manifest } = renderManifest({ ...vars, TEAMS_APP_ID: 'not-a-guid' });
    expect((await validateManifest(manifest)).join('\n')).toMatch(/\/id must match pattern/);
  });

  it('has a 192×192 colour icon and a 32×32 transparent outline icon', () => {
    expect(pngSize(readFileSync(path.join(manifestDir, 'color.png')))).toEqual({ width: 192, height: 192 });
    const outline = readFileSync(path.join(manifestDir, 'outline.png'));
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    expect(outline[25]).toBe(6); // colour type 6: RGBA, so the background can be transparent
  });

  it('packages the manifest and both icons', async () => {
    const { manifest } = renderManifest(vars);
    const zip = await JSZip.loadAsync(await buildAppPackage(manifest));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(await zip.file('manifest.json')!.async('string')).id).toBe(vars.TEAMS_APP_ID);
  });
});
