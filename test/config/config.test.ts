import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/config';

const LOCAL_DIRECTORY = 'env/organisations.local.json';
const APP_ID = '1b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d';
const TENANT = '2b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d';

function problemsOf(vars: Record<string, string>, root?: string): string[] {
  try {
    parseConfig({ NORRBUS_ENV: 'local', ORGANISATION_DIRECTORY: LOCAL_DIRECTORY, ...vars }, root);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

/** A directory file with this content in a folder of its own; returns its absolute path. */
function directoryFile(content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'norrbus-directory-')), 'organisations.json');
  writeFileSync(file, content);
  return file;
}

const production = { BOT_ID: APP_ID, BOT_PASSWORD: 'secret', BOT_TENANT_ID: TENANT };

describe('configuration', () => {
  it('reads the committed local environment with its defaults', () => {
    const config = loadConfig({ NORRBUS_ENV: 'local' });
    expect(config.bot).toEqual({ host: '127.0.0.1', port: 3978, auth: undefined });
    expect(config.storage).toEqual({ connectionString: undefined, tablePrefix: 'Norrbus' });
    expect(config.playground.port).toBe(56150);
    expect(config.serviceHosts).toEqual({ loopbackOnly: true });
    expect(config.organisations.organisations.map((o) => [o.name, o.kind])).toEqual([
      ['Luleå kommun', 'kommun'],
      ['Region Norrbotten', 'region'],
    ]);
    expect(config.organisations.find('6F0C2D1E-4B7A-4C1E-9D3B-2A5E8F7C1B90')?.name).toBe('Luleå kommun');
  });

  it('lets the process environment override the file', () => {
    const config = loadConfig({ NORRBUS_ENV: 'local', BOT_PORT: '4000', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    expect(config.bot.port).toBe(4000);
    expect(config.storage.connectionString).toBe('UseDevelopmentStorage=true');
  });

  it('names a missing environment file', () => {
    expect(() => loadConfig({ NORRBUS_ENV: 'prod' })).toThrow(/env\/\.env\.prod finns inte/);
    expect(() => loadConfig({ NORRBUS_ENV: '../etc' })).toThrow(/miljönamn/);
  });

  it('reads an environment from a project folder of its own', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'norrbus-config-'));
    mkdirSync(path.join(root, 'env'));
    writeFileSync(path.join(root, 'env', '.env.test'), 'BOT_PORT=5001\n# a comment\nLOG_LEVEL=warn\nORGANISATION_DIRECTORY=env/organisations.json\n');
    writeFileSync(path.join(root, 'env', 'organisations.json'), JSON.stringify({ organisations: [{ tenantId: TENANT, name: 'Region Norrbotten', kind: 'region' }] }));
    const config = loadConfig({ NORRBUS_ENV: 'test' }, root);
    expect(config.bot.port).toBe(5001);
    expect(config.logLevel).toBe('warn');
    expect(config.organisations.size).toBe(1);
  });

  it.each([
    [{ BOT_PORT: 'abc' }, /BOT_PORT måste vara ett portnummer/],
    [{ BOT_PORT: '70000' }, /BOT_PORT måste vara ett portnummer/],
    [{ BOT_ID: 'not-a-guid' }, /BOT_ID ska vara ett GUID/],
    [{ BOT_ID: APP_ID }, /BOT_PASSWORD krävs/],
    [{ TEAMS_SERVICE_HOSTS: 'https://smba.trafficmanager.net/emea' }, /TEAMS_SERVICE_HOSTS/],
    [{ STORAGE_CONNECTION_STRING: 'hello' }, /STORAGE_CONNECTION_STRING/],
    [{ STORAGE_TABLE_PREFIX: '1abc' }, /STORAGE_TABLE_PREFIX/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ BOT_TYPE: 'Other' }, /BOT_TYPE/],
    [{ ORGANISATION_DIRECTORY: '' }, /ORGANISATION_DIRECTORY saknas/],
    [{ BOT_HOST: '0.0.0.0' }, /BOT_HOST måste vara 127\.0\.0\.1.*när BOT_ID saknas/],
    [{ BOT_HOST: '192.168.1.20' }, /BOT_HOST måste vara 127\.0\.0\.1/],
    [{ BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/openid' }, /gäller bara när BOT_ID är satt/],
    [{ ...production, BOT_OPENID_METADATA_URL: 'http://login.example.com/openid' }, /BOT_OPENID_METADATA_URL ska vara en https-adress/],
    [{ ...production, BOT_TOKEN_ISSUER: 'ftp://127.0.0.1/' }, /BOT_TOKEN_ISSUER ska vara en https-adress/],
    [{ ...production, BOT_TOKEN_ISSUER: 'not a url' }, /BOT_TOKEN_ISSUER ska vara en https-adress/],
  ])('refuses %o with a clear message', (vars, message) => {
    const problems = problemsOf(vars as Record<string, string>);
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports every bad value at once, the directory included', () => {
    expect(problemsOf({ BOT_PORT: 'x', LOG_LEVEL: 'loud', BOT_ID: 'nope' })).toHaveLength(3);
    expect(problemsOf({ BOT_PORT: 'x', ORGANISATION_DIRECTORY: 'env/no-such-directory.json' })).toEqual([
      'BOT_PORT måste vara ett portnummer (0–65535)',
      'ORGANISATION_DIRECTORY (env/no-such-directory.json): filen finns inte eller kan inte läsas',
    ]);
  });

  it('takes the local-practice time limits, with their defaults, and refuses limits that cannot hold', () => {
    expect(loadConfig({ NORRBUS_ENV: 'local' }).localPractice).toEqual({ replyDays: 3, urgentReplyDays: 1, urgentMeetingDays: 2 });
    expect(parseConfig({ NORRBUS_ENV: 'local', ORGANISATION_DIRECTORY: LOCAL_DIRECTORY, REPLY_DAYS: '5', URGENT_MEETING_DAYS: '3' }).localPractice).toEqual({
      replyDays: 5,
      urgentReplyDays: 1,
      urgentMeetingDays: 3,
    });
    expect(problemsOf({ REPLY_DAYS: '0' })).toEqual(['REPLY_DAYS måste vara minst 1']);
    expect(problemsOf({ URGENT_REPLY_DAYS: '3', URGENT_MEETING_DAYS: '2' })).toEqual([
      'URGENT_REPLY_DAYS får inte vara längre än URGENT_MEETING_DAYS: svaret ska komma före det akuta mötet',
    ]);
  });

  it('refuses to listen beyond loopback without authentication, and allows it with', () => {
    expect(problemsOf({ BOT_HOST: '0.0.0.0' })).toHaveLength(1);
    expect(() => parseConfig({ NORRBUS_ENV: 'dev', ORGANISATION_DIRECTORY: LOCAL_DIRECTORY, BOT_HOST: '0.0.0.0', ...production })).not.toThrow();
    expect(problemsOf({ BOT_HOST: 'localhost' })).toEqual([]);
  });

  it('does not start env/.env.dev as committed, and names what is missing', () => {
    let problems: string[] = [];
    try {
      loadConfig({ NORRBUS_ENV: 'dev' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    // Unauthenticated on every interface, and nobody in the directory: both named at once.
    expect(problems).toEqual([
      expect.stringMatching(/^BOT_HOST måste vara 127\.0\.0\.1 .*när BOT_ID saknas/),
      'ORGANISATION_DIRECTORY (env/organisations.dev.json): katalogen är tom, ingen organisation kan använda boten',
    ]);
    // With an app registration filled in, the empty directory is what stops it.
    let withApp: string[] = [];
    try {
      loadConfig({ NORRBUS_ENV: 'dev', ...production });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      withApp = (error as ConfigError).problems;
    }
    expect(withApp).toEqual([expect.stringMatching(/ORGANISATION_DIRECTORY \(env\/organisations\.dev\.json\): katalogen är tom/)]);
  });

  it('names a directory file that is missing, malformed or empty', () => {
    expect(problemsOf({ ORGANISATION_DIRECTORY: 'env/no-such-directory.json' })).toEqual([
      'ORGANISATION_DIRECTORY (env/no-such-directory.json): filen finns inte eller kan inte läsas',
    ]);
    const malformed = directoryFile('{ "organisations": [ ');
    expect(problemsOf({ ORGANISATION_DIRECTORY: malformed })).toEqual([`ORGANISATION_DIRECTORY (${malformed}): filen är inte giltig JSON`]);
    const wrongShape = directoryFile(JSON.stringify({ tenants: [] }));
    expect(problemsOf({ ORGANISATION_DIRECTORY: wrongShape }).join('\n')).toContain(`ORGANISATION_DIRECTORY (${wrongShape})`);
    const empty = directoryFile(JSON.stringify({ organisations: [] }));
    expect(problemsOf({ ORGANISATION_DIRECTORY: empty })).toEqual([`ORGANISATION_DIRECTORY (${empty}): katalogen är tom, ingen organisation kan använda boten`]);
  });

  it('names each bad directory entry by its place in the file', () => {
    const file = directoryFile(
      JSON.stringify({
        organisations: [
          { tenantId: TENANT, name: 'Luleå kommun', kind: 'kommun', municipality: 'Luleå' },
          { tenantId: '3b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d', name: 'Landstinget', kind: 'landsting' },
          { tenantId: '4b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d', name: 'Stockholms stad', kind: 'kommun', municipality: 'Stockholm' },
          { tenantId: 'not-a-guid', name: 'Friskolan', kind: 'annan', acts: [{ party: 'polis', municipalities: ['Boden'] }] },
          { tenantId: TENANT.toUpperCase(), name: 'Luleå igen', kind: 'region' },
        ],
      }),
    );
    const problems = problemsOf({ ORGANISATION_DIRECTORY: file });
    const label = `ORGANISATION_DIRECTORY (${file})`;
    expect(problems).toEqual(
      expect.arrayContaining([
        `${label}: organisations.1.kind: kind ska vara kommun, region eller annan`,
        `${label}: organisations.2.municipality: municipality ska vara en av Norrbottens 14 kommuner`,
        `${label}: organisations.3.tenantId: tenantId ska vara ett GUID`,
        expect.stringMatching(/^ORGANISATION_DIRECTORY .*: organisations\.3\.acts\.0\.party: party ska vara en av/),
      ]),
    );
    // A duplicate is only found once the entries themselves are valid.
    const duplicate = directoryFile(
      JSON.stringify({
        organisations: [
          { tenantId: TENANT, name: 'Luleå kommun', kind: 'kommun', municipality: 'Luleå' },
          { tenantId: TENANT.toUpperCase(), name: 'Luleå igen', kind: 'region' },
        ],
      }),
    );
    expect(problemsOf({ ORGANISATION_DIRECTORY: duplicate })).toEqual([
      `ORGANISATION_DIRECTORY (${duplicate}): organisations.1.tenantId: samma tenantId finns två gånger`,
    ]);
  });

  it('turns on authentication when an app id and secret are given (production mode)', () => {
    const config = parseConfig({ NORRBUS_ENV: 'dev', ORGANISATION_DIRECTORY: LOCAL_DIRECTORY, ...production });
    expect(config.bot.auth).toMatchObject({ appId: APP_ID, type: 'SingleTenant', tenantId: TENANT });
    expect(config.bot.auth?.openIdMetadataUrl).toBeUndefined();
    expect(config.serviceHosts).toEqual({ loopbackOnly: false, hosts: ['smba.trafficmanager.net'] });
  });

  it('takes the Teams service hosts and the token endpoints of a production configuration', () => {
    const config = parseConfig({
      NORRBUS_ENV: 'dev',
      ORGANISATION_DIRECTORY: LOCAL_DIRECTORY,
      ...production,
      TEAMS_SERVICE_HOSTS: 'smba.trafficmanager.net, SMBA.infra.gov.teams.microsoft.us',
      BOT_OPENID_METADATA_URL: 'http://127.0.0.1:4000/openid',
      BOT_TOKEN_ISSUER: 'https://issuer.example.com',
    });
    expect(config.serviceHosts).toEqual({ loopbackOnly: false, hosts: ['smba.trafficmanager.net', 'smba.infra.gov.teams.microsoft.us'] });
    expect(config.bot.auth).toMatchObject({ openIdMetadataUrl: 'http://127.0.0.1:4000/openid', tokenIssuer: 'https://issuer.example.com' });
  });
});
