import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/projectRoot';

/** The Agents Toolkit files point at what exists, and every ${{VAR}} they use is in env/.env.dev. */
const root = projectRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const devVars = new Set(Object.keys(parseEnv(read('env/.env.dev'))));
/** Variables the Toolkit writes itself during provision (outputs of teamsApp/create and the Bicep). */
const WRITTEN_BY_TOOLKIT = new Set(['TEAMS_APP_PUBLISHED_APP_ID']);

describe('Agents Toolkit layout', () => {
  it('provisions with infra/azure.bicep and its parameters, packages manifest/manifest.json into the ignored build folder', () => {
    const yml = read('m365agents.yml');
    for (const file of ['./infra/azure.bicep', './infra/azure.parameters.json', './manifest/manifest.json']) {
      expect(yml).toContain(file);
      expect(existsSync(path.join(root, file))).toBe(true);
    }
    expect(yml).toMatch(/^provision:/m);
    expect(yml).toMatch(/^deploy:/m);
    expect(yml).toMatch(/^publish:/m);
    expect(yml).toMatch(/uses: azureAppService\/zipDeploy/);
    expect(yml).toContain('./appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
    expect(read('.gitignore')).toMatch(/^appPackage\/build\/$/m);
    expect(read('.gitignore')).toMatch(/^\.env\.\*\.user$/m);
    expect(read('m365agents.local.yml')).toMatch(/^version: v1\.9$/m);
  });

  it('uses only variables that env/.env.dev defines (or that the Toolkit writes)', () => {
    for (const file of ['m365agents.yml', 'infra/azure.parameters.json', 'manifest/manifest.json']) {
      const used = [...read(file).matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]);
      expect({ file, undefined: used.filter((v) => !devVars.has(v) && !WRITTEN_BY_TOOLKIT.has(v)) }).toEqual({ file, undefined: [] });
    }
  });
});
