import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { projectRoot } from '../../src/projectRoot';

const PLACEHOLDER = /\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g;

/** The values the manifest needs, and which of them may be empty. */
const REQUIRED = ['TEAMS_APP_ID', 'BOT_ID'] as const;

export interface RenderedManifest {
  manifest: Record<string, unknown>;
  /** Placeholders with no value: the package cannot be made until they are set. */
  missing: string[];
}

/**
 * Fills the `${{NAME}}` placeholders of manifest/manifest.json (the Teams Toolkit convention) from
 * environment values. An empty BOT_DOMAIN leaves validDomains empty, unless `requireDomain` (a
 * deployed environment), when it is reported missing.
 */
export function renderManifest(
  vars: Record<string, string | undefined>,
  templatePath = path.join(projectRoot(), 'manifest', 'manifest.json'),
  options: { requireDomain?: boolean } = {},
): RenderedManifest {
  const missing = new Set<string>(REQUIRED.filter((name) => !vars[name]?.trim()));
  if (options.requireDomain && !vars.BOT_DOMAIN?.trim()) missing.add('BOT_DOMAIN');
  const text = readFileSync(templatePath, 'utf8').replace(PLACEHOLDER, (_match, name: string) => {
    const value = vars[name]?.trim() ?? '';
    if (value === '' && name !== 'APP_NAME_SUFFIX' && name !== 'BOT_DOMAIN') missing.add(name);
    return JSON.stringify(value).slice(1, -1);
  });
  const manifest = JSON.parse(text) as Record<string, unknown>;
  if (Array.isArray(manifest.validDomains)) manifest.validDomains = manifest.validDomains.filter((d) => d !== '');
  return { manifest, missing: [...missing] };
}

/** Schema errors of the manifest, checked offline against the schema bundled with @microsoft/app-manifest. */
export function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as never);
}

/** Width and height of a PNG, read from its IHDR chunk. */
export function pngSize(data: Buffer): { width: number; height: number } {
  if (data.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG file');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** The Teams app package: manifest.json with its two icons, zipped. */
export async function buildAppPackage(manifest: Record<string, unknown>, manifestDir = path.join(projectRoot(), 'manifest')): Promise<Buffer> {
  const icons = manifest.icons as { color: string; outline: string };
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const icon of [icons.color, icons.outline]) zip.file(icon, readFileSync(path.join(manifestDir, icon)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
