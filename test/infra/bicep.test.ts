import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config/config';
import { projectRoot } from '../../src/projectRoot';
import { TABLES } from '../../src/store/store';

/**
 * infra/azure.bicep checked as text (no Azure and no Bicep CLI here): the resources and properties
 * issue 17 requires, and app settings that are exactly the configuration's variables.
 */
const root = projectRoot();
const bicep = readFileSync(path.join(root, 'infra', 'azure.bicep'), 'utf8');

/**
 * Variables of src/config/config.ts that a deployment in Azure must not set, and why. Every other
 * variable of the schema must be an app setting in infra/azure.bicep.
 */
const NOT_DEPLOYED: Record<string, string> = {
  BOT_PASSWORD: 'no client secret: the bot signs in as its user-assigned managed identity',
  BOT_OPENID_METADATA_URL: 'tests only (tokens checked against a local key)',
  BOT_TOKEN_ISSUER: 'tests only',
  STORAGE_CONNECTION_STRING: 'no account key: storage is reached with the managed identity (shared keys are off)',
  STORAGE_TABLE_ENDPOINT: 'derived from STORAGE_ACCOUNT_NAME in the public cloud',
  AZURITE_TABLE_PORT: 'npm start only (local Azurite)',
  AZURITE_LOCATION: 'npm start only (local Azurite)',
  PLAYGROUND_PORT: 'npm start only (local Agents Playground)',
};

/** App Service's own settings, read by the platform and not by the bot. */
const PLATFORM = /^(WEBSITE_|WEBSITES_|SCM_)/;

/** The body of the first `<name> ... {` block (balanced braces) after `start`. */
function block(text: string, start: string | RegExp): string {
  const at = typeof start === 'string' ? text.indexOf(start) : text.search(start);
  if (at < 0) throw new Error(`not found: ${String(start)}`);
  const open = text.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced block: ${String(start)}`);
}

/** The body of the first `[ ... ]` after `start`. */
function list(text: string, start: string): string {
  const at = text.indexOf(start);
  if (at < 0) throw new Error(`not found: ${start}`);
  const open = text.indexOf('[', at);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    if (text[i] === ']' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced list: ${start}`);
}

const resource = (type: string) => block(bicep, new RegExp(`resource \\w+ '${type.replace(/[./]/g, '\\$&')}@`));
const appSettings = [...list(resource('Microsoft.Web/sites'), 'appSettings:').matchAll(/name: '([A-Za-z0-9_]+)'/g)].map((m) => m[1]);

describe('infra/azure.bicep', () => {
  it("sets exactly the configuration's variables as app settings (plus App Service's own)", () => {
    const botSettings = appSettings.filter((name) => !PLATFORM.test(name));
    expect(new Set(botSettings).size).toBe(botSettings.length);
    const expected = CONFIG_VARIABLES.filter((name) => !(name in NOT_DEPLOYED));
    // A variable in the schema and not in the Bicep (or the other way round) is named here.
    expect({ missingInBicep: expected.filter((v) => !botSettings.includes(v)), notInConfig: botSettings.filter((v) => !(CONFIG_VARIABLES as string[]).includes(v)) }).toEqual({
      missingInBicep: [],
      notInConfig: [],
    });
    // Every exception is a variable the configuration still reads.
    expect(Object.keys(NOT_DEPLOYED).filter((v) => !(CONFIG_VARIABLES as string[]).includes(v))).toEqual([]);
    expect(appSettings).not.toContain('BOT_PASSWORD');
    expect(appSettings).not.toContain('STORAGE_CONNECTION_STRING');
  });

  it('runs the bot on Linux App Service, Node 20, always on, health-checked, HTTPS and TLS 1.2 only', () => {
    const plan = resource('Microsoft.Web/serverfarms');
    expect(plan).toMatch(/kind: 'linux'/);
    expect(plan).toMatch(/reserved: true/);
    const site = resource('Microsoft.Web/sites');
    expect(site).toMatch(/kind: 'app,linux'/);
    expect(site).toMatch(/linuxFxVersion: 'NODE\|20-lts'/);
    expect(site).toMatch(/alwaysOn: true/);
    expect(site).toMatch(/healthCheckPath: '\/healthz'/);
    expect(site).toMatch(/httpsOnly: true/);
    expect(site).toMatch(/minTlsVersion: '1.2'/);
    expect(site).toMatch(/ftpsState: 'Disabled'/);
    expect(site).toMatch(/appCommandLine: 'node dist\/src\/main.js'/);
    expect(site).toMatch(/type: 'UserAssigned'/);
  });

  it('has a storage account without public blob access, TLS 1.2, keys off, and the tables of src/store', () => {
    const storage = resource('Microsoft.Storage/storageAccounts');
    expect(storage).toMatch(/allowBlobPublicAccess: false/);
    expect(storage).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(storage).toMatch(/supportsHttpsTrafficOnly: true/);
    expect(storage).toMatch(/allowSharedKeyAccess: false/);
    const tables = [...list(bicep, 'var tables =').matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(tables).toEqual([...TABLES]);
    expect(bicep).toMatch(/resource \w+ 'Microsoft.Storage\/storageAccounts\/tableServices\/tables@[^']+' = \[\s*for table in tables:/);
    expect(bicep).toMatch(/name: '\$\{tablePrefix\}\$\{table\}'/);
  });

  it('gives the managed identity Storage Table Data Contributor on the account', () => {
    expect(bicep).toMatch(/var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/);
    const role = block(bicep, /resource tableRole 'Microsoft.Authorization\/roleAssignments@/);
    expect(role).toMatch(/scope: storage/);
    expect(role).toMatch(/roleDefinitions', storageTableDataContributor\)/);
    expect(role).toMatch(/principalId: identity.properties.principalId/);
    expect(resource('Microsoft.ManagedIdentity/userAssignedIdentities')).toMatch(/name: names.identity/);
  });

  it('registers a single-tenant Azure Bot as the user-assigned identity, with the Teams channel', () => {
    const bot = resource('Microsoft.BotService/botServices');
    expect(bot).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bot).toMatch(/msaAppId: identity.properties.clientId/);
    expect(bot).toMatch(/msaAppMSIResourceId: identity.id/);
    expect(bot).toMatch(/msaAppTenantId: identity.properties.tenantId/);
    expect(bot).toMatch(/endpoint: 'https:\/\/\$\{web.properties.defaultHostName\}\/api\/messages'/);
    const channel = resource('Microsoft.BotService/botServices/channels');
    expect(channel).toMatch(/channelName: 'MsTeamsChannel'/);
    expect(channel).toMatch(/isEnabled: true/);
    // The bot's own settings agree: it signs in as that identity, without a password.
    const setting = (name: string) => new RegExp(`\\{ name: '${name}', value: ([^}]+) \\}`).exec(list(resource('Microsoft.Web/sites'), 'appSettings:'))?.[1].trim();
    expect(setting('BOT_TYPE')).toBe("'UserAssignedMSI'");
    expect(setting('BOT_ID')).toBe('identity.properties.clientId');
    expect(setting('BOT_TENANT_ID')).toBe('identity.properties.tenantId');
    expect(setting('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(setting('STORAGE_ACCOUNT_NAME')).toBe('storage.name');
  });

  it('sends telemetry to Application Insights on a Log Analytics workspace, its connection string from Key Vault', () => {
    expect(resource('Microsoft.OperationalInsights/workspaces')).toMatch(/name: 'PerGB2018'/);
    expect(resource('Microsoft.Insights/components')).toMatch(/WorkspaceResourceId: logs.id/);
    const vault = resource('Microsoft.KeyVault/vaults');
    expect(vault).toMatch(/enableRbacAuthorization: true/);
    expect(vault).toMatch(/enablePurgeProtection: true/);
    expect(bicep).toMatch(/\{ name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: '@Microsoft.KeyVault\(SecretUri=\$\{insightsSecret.properties.secretUri\}\)' \}/);
    expect(resource('Microsoft.Web/sites')).toMatch(/keyVaultReferenceIdentity: identity.id/);
    expect(bicep).toMatch(/roleDefinitions', keyVaultSecretsUser\)/);
  });

  it('has a parameters file that gives every parameter without a default, and only parameters that exist', () => {
    const parameters = JSON.parse(readFileSync(path.join(root, 'infra', 'azure.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
    const declared = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({ name: m[1], required: m[2] === undefined }));
    const given = Object.keys(parameters.parameters);
    expect(given.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => d.required && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });
});
