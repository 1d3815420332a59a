import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DefaultAzureCredential } from '@azure/identity';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../../src/config/config';
import { projectRoot } from '../../src/projectRoot';
import { storageConnection } from '../../src/store/store';

/** The deployment's settings (issue 17): the managed identity, storage through Entra ID, Application Insights. */
const DIRECTORY = 'env/organisations.local.json';
const CLIENT_ID = '7c1f0e2d-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const TENANT = '2b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d';
const INSIGHTS = 'InstrumentationKey=0b7a9c3e-5d2f-4e6a-8b1c-9d0e1f2a3b4c;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/;ApplicationId=1d2c3b4a-0000-4000-8000-000000000000';
const MSI = { BOT_ID: CLIENT_ID, BOT_TENANT_ID: TENANT, BOT_TYPE: 'UserAssignedMSI', BOT_HOST: '0.0.0.0' };

function parse(vars: Record<string, string>) {
  return parseConfig({ NORRBUS_ENV: 'dev', ORGANISATION_DIRECTORY: DIRECTORY, ...vars });
}

function problemsOf(vars: Record<string, string>): string[] {
  try {
    parse(vars);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('configuration of a deployment', () => {
  it('signs in to the Bot Framework as the user-assigned managed identity, without a password', () => {
    expect(parse(MSI).bot.auth).toEqual({ appId: CLIENT_ID, tenantId: TENANT, type: 'UserAssignedMSI', password: undefined, openIdMetadataUrl: undefined, tokenIssuer: undefined });
    expect(problemsOf({ ...MSI, BOT_PASSWORD: 'secret' })).toEqual([
      'BOT_PASSWORD ska vara tomt när BOT_TYPE=UserAssignedMSI: boten loggar in som den hanterade identiteten, utan lösenord',
    ]);
    expect(problemsOf({ ...MSI, BOT_TENANT_ID: '' })).toEqual(['BOT_TENANT_ID krävs när BOT_TYPE=UserAssignedMSI: tenanten där den hanterade identiteten finns']);
    expect(problemsOf({ BOT_TYPE: 'UserAssignedMSI' })).toEqual([
      'BOT_TYPE=UserAssignedMSI kräver BOT_ID: den användartilldelade hanterade identitetens klient-id',
      'BOT_TENANT_ID krävs när BOT_TYPE=UserAssignedMSI: tenanten där den hanterade identiteten finns',
    ]);
  });

  it('reaches Table Storage as the identity when an account is named instead of a connection string', () => {
    const config = parse({ ...MSI, STORAGE_ACCOUNT_NAME: 'norrbusdevst1' });
    // The bot's own identity is the storage identity unless AZURE_CLIENT_ID names another.
    expect(config.storage).toEqual({ account: { endpoint: 'https://norrbusdevst1.table.core.windows.net', clientId: CLIENT_ID }, tablePrefix: 'Norrbus', connectionString: undefined });
    expect(parse({ ...MSI, STORAGE_TABLE_ENDPOINT: 'https://x.table.core.usgovcloudapi.net', AZURE_CLIENT_ID: TENANT }).storage.account).toEqual({
      endpoint: 'https://x.table.core.usgovcloudapi.net',
      clientId: TENANT,
    });
    const connection = storageConnection(config.storage);
    expect(connection?.connectionString).toBeUndefined();
    expect(connection?.account?.endpoint).toBe('https://norrbusdevst1.table.core.windows.net');
    // (By name: vitest loads @azure/identity's ESM build here, the store its CommonJS build.)
    expect(connection?.account?.credential.constructor.name).toBe(DefaultAzureCredential.name);
    // A connection string is used as it is; neither gives nothing (main.ts then names both).
    expect(storageConnection({ connectionString: 'UseDevelopmentStorage=true' })).toEqual({ connectionString: 'UseDevelopmentStorage=true' });
    expect(storageConnection({})).toBeUndefined();
  });

  it('names a bad storage account, endpoint or client id, and refuses both ways at once', () => {
    expect(problemsOf({ ...MSI, STORAGE_ACCOUNT_NAME: 'Norrbus-Dev' })).toEqual([
      'STORAGE_ACCOUNT_NAME ska vara lagringskontots namn: 3–24 gemener och siffror, t.ex. norrbusdevst',
    ]);
    expect(problemsOf({ ...MSI, STORAGE_TABLE_ENDPOINT: 'http://example.org' })).toEqual([
      'STORAGE_TABLE_ENDPOINT ska vara en https-adress (eller http till 127.0.0.1/localhost)',
    ]);
    expect(problemsOf({ ...MSI, STORAGE_ACCOUNT_NAME: 'norrbusdevst1', AZURE_CLIENT_ID: 'me' })).toEqual(['AZURE_CLIENT_ID ska vara ett GUID (den hanterade identitetens klient-id)']);
    expect(problemsOf({ ...MSI, STORAGE_ACCOUNT_NAME: 'norrbusdevst1', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toEqual([
      'Ange antingen STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME/STORAGE_TABLE_ENDPOINT (hanterad identitet), inte båda',
    ]);
  });

  it('takes an Application Insights connection string, and names a wrong one', () => {
    expect(parse(MSI).telemetry).toEqual({ connectionString: undefined });
    expect(parse({ ...MSI, APPLICATIONINSIGHTS_CONNECTION_STRING: INSIGHTS }).telemetry).toEqual({ connectionString: INSIGHTS });
    const message =
      'APPLICATIONINSIGHTS_CONNECTION_STRING ska vara anslutningssträngen från Application Insights (InstrumentationKey=<GUID>;IngestionEndpoint=https://…)';
    expect(problemsOf({ ...MSI, APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc' })).toEqual([message]);
    expect(problemsOf({ ...MSI, APPLICATIONINSIGHTS_CONNECTION_STRING: INSIGHTS.replace('https://', 'http://') })).toEqual([message]);
  });

  it('documents every variable it reads in env/.env.dev', () => {
    const text = readFileSync(path.join(projectRoot(), 'env', '.env.dev'), 'utf8');
    const documented = new Set([...Object.keys(parseEnv(text)), ...[...text.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1])]);
    expect(CONFIG_VARIABLES.filter((name) => name !== 'NORRBUS_ENV' && !documented.has(name))).toEqual([]);
  });
});
