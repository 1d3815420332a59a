import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, readEnvFile } from '../src/config/config';
import { projectRoot } from '../src/projectRoot';
import { buildAppPackage, renderManifest, validateManifest } from './lib/appPackage';

/**
 * `npm run package [-- --env dev] [--out <folder>]`: renders manifest/manifest.json from
 * env/.env.<env> (and the process environment), validates it against the Teams schema offline, and
 * writes appPackage/build/appPackage.<env>.zip (git-ignored). One package serves every
 * organisation: each installs it in its own tenant. Outside `local` the bot's domain is required
 * (validDomains), beside the bot id and the Teams app id.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { env: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const envName = values.env ?? process.env.NORRBUS_ENV ?? 'local';
  if (!/^[a-z][a-z0-9-]*$/.test(envName)) throw new Error(`--env must name an environment, e.g. dev (got "${envName.slice(0, 40)}")`);
  const root = projectRoot();
  const vars = { ...readEnvFile(envName, root), ...process.env };
  const { manifest, missing } = renderManifest(vars, undefined, { requireDomain: envName !== 'local' });
  if (missing.length) {
    throw new Error(
      `The app package needs ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} in env/.env.${envName} or the environment.` +
        (missing.includes('BOT_ID') ? '\n(The local Agents Playground needs no package; BOT_ID is the app id of the Azure Bot.)' : ''),
    );
  }
  const errors = await validateManifest(manifest);
  if (errors.length) throw new Error(`The rendered manifest is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  const out = values.out ? path.resolve(values.out) : path.join(root, 'appPackage', 'build');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `appPackage.${envName}.zip`);
  writeFileSync(file, await buildAppPackage(manifest));
  console.log(`Wrote ${path.relative(root, file)} (manifest ${String(manifest.manifestVersion)}, app id ${String(manifest.id)}).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
});
