import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCounty, readCounty } from '../../src/config/county';
import { ConfigError, parseConfig } from '../../src/config/config';
import { DEFAULT_LANSDELAR } from '../../src/domain/county';
import { projectRoot } from '../../src/projectRoot';

const label = 'LANSDELAR (env/x.json)';
const problems = (json: unknown) => {
  const parsed = parseCounty(json, label);
  return 'problems' in parsed ? parsed.problems : [];
};

describe('the länsdelar in configuration (LANSDELAR)', () => {
  it('ships env/lansdelar.json with the default, the same as without the variable', () => {
    const file = JSON.parse(readFileSync(path.join(projectRoot(), 'env', 'lansdelar.json'), 'utf8'));
    const parsed = parseCounty(file, label);
    expect('county' in parsed && parsed.county.lansdelar).toEqual(DEFAULT_LANSDELAR);
    const unset = readCounty(undefined, projectRoot());
    expect('county' in unset && unset.county.lansdelar).toEqual(DEFAULT_LANSDELAR);
    const config = parseConfig({ NORRBUS_ENV: 'local', ORGANISATION_DIRECTORY: 'env/organisations.local.json', LANSDELAR: 'env/lansdelar.json' });
    expect(config.county.lansdelOf('Boden').name).toBe('Södra länsdelen');
  });

  it('refuses a bad file with clear Swedish messages, each naming where', () => {
    const lansdelar = DEFAULT_LANSDELAR.map((l) => ({ ...l, municipalities: [...l.municipalities] }));
    expect(problems({ lansdelar: lansdelar.slice(1) })).toEqual(['LANSDELAR (env/x.json): lansdelar: Gällivare ingår inte i någon länsdel', 'LANSDELAR (env/x.json): lansdelar: Kiruna ingår inte i någon länsdel', 'LANSDELAR (env/x.json): lansdelar: Pajala ingår inte i någon länsdel']);
    expect(problems({ lansdelar: [{ ...lansdelar[0], municipalities: ['Kiruna', 'Stockholm'] }, ...lansdelar.slice(1)] })).toContain(
      'LANSDELAR (env/x.json): lansdelar.0.municipalities.1: ska vara en av Norrbottens 14 kommuner, stavad som i listan (t.ex. Luleå, Övertorneå)',
    );
    expect(problems({ lansdelar: [{ ...lansdelar[0], id: 'Norra Länsdelen' }, ...lansdelar.slice(1)] })[0]).toMatch(/lansdelar\.0\.id: id ska vara gemena/);
    expect(problems({ lansdelar: [{ ...lansdelar[0], colour: 'blå' }, ...lansdelar.slice(1)] })[0]).toMatch(/okända nycklar: colour/);
    expect(problems({})).toEqual(['LANSDELAR (env/x.json): lansdelar: saknas']);
  });

  it('stops the bot from starting on a missing file, naming it', () => {
    expect(() => parseConfig({ NORRBUS_ENV: 'local', ORGANISATION_DIRECTORY: 'env/organisations.local.json', LANSDELAR: 'env/finns-inte.json' })).toThrow(ConfigError);
    try {
      parseConfig({ NORRBUS_ENV: 'local', ORGANISATION_DIRECTORY: 'env/organisations.local.json', LANSDELAR: 'env/finns-inte.json' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['LANSDELAR (env/finns-inte.json): filen finns inte eller kan inte läsas']);
    }
  });
});
