import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/config';

function problemsOf(vars: Record<string, string>): string[] {
  try {
    parseConfig({ NORRBUS_ENV: 'local', ...vars });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('configuration', () => {
  it('reads the committed local environment with its defaults', () => {
    const config = loadConfig({ NORRBUS_ENV: 'local' });
    expect(config.bot).toEqual({ host: '127.0.0.1', port: 3978, auth: undefined });
    expect(config.storage).toEqual({ connectionString: undefined, tablePrefix: 'Norrbus' });
    expect(config.playground.port).toBe(56150);
    expect(config.allowedTenantIds).toEqual([]);
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
    writeFileSync(path.join(root, 'env', '.env.test'), 'BOT_PORT=5001\n# a comment\nLOG_LEVEL=warn\n');
    const config = loadConfig({ NORRBUS_ENV: 'test' }, root);
    expect(config.bot.port).toBe(5001);
    expect(config.logLevel).toBe('warn');
  });

  it.each([
    [{ BOT_PORT: 'abc' }, /BOT_PORT måste vara ett portnummer/],
    [{ BOT_PORT: '70000' }, /BOT_PORT måste vara ett portnummer/],
    [{ BOT_ID: 'not-a-guid' }, /BOT_ID ska vara ett GUID/],
    [{ BOT_ID: '1b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d' }, /BOT_PASSWORD krävs/],
    [{ ALLOWED_TENANT_IDS: 'abc, def' }, /ALLOWED_TENANT_IDS/],
    [{ STORAGE_CONNECTION_STRING: 'hello' }, /STORAGE_CONNECTION_STRING/],
    [{ STORAGE_TABLE_PREFIX: '1abc' }, /STORAGE_TABLE_PREFIX/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ BOT_TYPE: 'Other' }, /BOT_TYPE/],
  ])('refuses %o with a clear message', (vars, message) => {
    const problems = problemsOf(vars as Record<string, string>);
    expect(problems.join('\n')).toMatch(message);
  });

  it('reports every bad value at once', () => {
    expect(problemsOf({ BOT_PORT: 'x', LOG_LEVEL: 'loud', BOT_ID: 'nope' })).toHaveLength(3);
  });

  it('turns on authentication when an app id and secret are given (production mode)', () => {
    const config = parseConfig({
      NORRBUS_ENV: 'dev',
      BOT_ID: '1b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d',
      BOT_PASSWORD: 'secret',
      BOT_TENANT_ID: '2b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d',
      ALLOWED_TENANT_IDS: '2b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d, 3b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d',
    });
    expect(config.bot.auth).toMatchObject({ appId: '1b1c5c1e-2f7a-4a8e-9d1e-3c3b2a1f0e9d', type: 'SingleTenant' });
    expect(config.allowedTenantIds).toHaveLength(2);
  });
});
