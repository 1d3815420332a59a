import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/bot/adapter';
import { parseConfig } from '../../src/config/config';
import { Connector, sendFailureOf } from '../../src/teams/connector';
import { isAllowedServiceUrl, ServiceUrlRefusedError, type ServiceHosts } from '../../src/teams/serviceUrl';
import type { AdaptiveCardJson } from '../../src/cards/render';
import type { StoredConversationReference } from '../../src/store/conversationReference';

const LOCAL: ServiceHosts = { loopbackOnly: true };
const PRODUCTION: ServiceHosts = { loopbackOnly: false, hosts: ['smba.trafficmanager.net'] };

describe('the service URL allow-list', () => {
  it.each([
    'http://localhost:56150/_connector',
    'http://127.0.0.1:3978/',
    'https://127.5.6.7/x',
    'http://[::1]:4000/_connector',
    'http://LOCALHOST:1/',
    'http://127.1:9/',
  ])('lets local mode talk to %s', (url) => {
    expect(isAllowedServiceUrl(url, LOCAL)).toBe(true);
    expect(isAllowedServiceUrl(url, PRODUCTION)).toBe(false);
  });

  it.each([
    'https://smba.trafficmanager.net/emea/',
    'http://10.0.0.1/',
    'http://0.0.0.0:10002/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost.attacker.example.com/',
    'http://127.0.0.1.nip.io/',
    'http://user:pw@127.0.0.1/',
    'ftp://127.0.0.1/',
    'file:///etc/passwd',
    'localhost:3978',
    '',
  ])('keeps local mode from %s', (url) => {
    expect(isAllowedServiceUrl(url, LOCAL)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['http://localhost/']]) expect(isAllowedServiceUrl(value, LOCAL)).toBe(false);
  });

  it.each([
    ['https://smba.trafficmanager.net/emea/', true],
    ['https://SMBA.trafficmanager.net/amer/', true],
    ['https://emea.smba.trafficmanager.net/teams/', true],
    ['http://smba.trafficmanager.net/emea/', false],
    ['https://smba.trafficmanager.net:8443/emea/', false],
    ['https://evilsmba.trafficmanager.net/', false],
    ['https://smba.trafficmanager.net.attacker.example.com/', false],
    ['https://trafficmanager.net/', false],
    ['https://user@smba.trafficmanager.net/', false],
    ['https://localhost/', false],
  ] as const)('in production: %s → %s', (url, allowed) => {
    expect(isAllowedServiceUrl(url, PRODUCTION)).toBe(allowed);
  });

  it('holds for any URL: local mode only to loopback, production only https to the hosts', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const host = new URL(url).hostname;
        if (!/^(localhost|127\.|\[::1\])/.test(host)) expect(isAllowedServiceUrl(url, LOCAL)).toBe(false);
        const expected = url.startsWith('https://') && new URL(url).port === '' && (host === 'smba.trafficmanager.net' || host.endsWith('.smba.trafficmanager.net'));
        expect(isAllowedServiceUrl(url, PRODUCTION)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.domain(), fc.constantFrom('http', 'https'), (domain, scheme) => {
        const url = `${scheme}://${domain}/emea/`;
        expect(isAllowedServiceUrl(url, PRODUCTION)).toBe(scheme === 'https' && (domain === 'smba.trafficmanager.net' || domain.endsWith('.smba.trafficmanager.net')));
        expect(isAllowedServiceUrl(`https://${domain}.smba.trafficmanager.net/x`, PRODUCTION)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.webPath(), fc.constantFrom('localhost', '127.0.0.1', '[::1]', '127.9.8.7'), (port, webPath, host) => {
        expect(isAllowedServiceUrl(`http://${host}:${port}${webPath}`, LOCAL)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('outgoing calls and the allow-list', () => {
  const forged: StoredConversationReference = {
    serviceUrl: 'https://attacker.example.com/_connector',
    channelId: 'msteams',
    conversation: { id: '19:x@thread.tacv2' },
  };
  const card: AdaptiveCardJson = { type: 'AdaptiveCard', version: '1.5', body: [] };

  it('refuses every Connector call to a URL outside the list, for good, before the adapter is asked', async () => {
    const calls: string[] = [];
    const adapter = new Proxy({}, { get: (_t, name) => (...args: unknown[]) => (calls.push(String(name)), Promise.resolve(args)) });
    const connector = new Connector(adapter as never, '', LOCAL);
    const attempts = [
      connector.startThread({ serviceUrl: forged.serviceUrl, tenantId: 't', channelId: '19:x@thread.tacv2' }, card),
      connector.updateCard(forged, 'a1', card),
      connector.sendCard(forged, card),
      connector.sendText(forged, 'hej'),
    ];
    for (const attempt of attempts) {
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUrlRefusedError);
      expect(sendFailureOf(error).kind).toBe('gone');
      expect(connector.failureOf(error).kind).toBe('gone');
      // The message names scheme and host only.
      expect((error as Error).message).toBe('service URL not allowed: https://attacker.example.com');
    }
    expect(calls).toEqual([]);
  });

  it('takes the list from the adapter when the Connector is built without one (src/cli/tick.ts)', async () => {
    const production = parseConfig({
      NORRBUS_ENV: 'test',
      ORGANISATION_DIRECTORY: 'env/organisations.local.json',
      BOT_ID: '7d3c2b1a-0f9e-4d8c-b7a6-5e4f3a2b1c0d',
      BOT_PASSWORD: 'x',
      BOT_TENANT_ID: '6f0c2d1e-4b7a-4c1e-9d3b-2a5e8f7c1b90',
    });
    const connector = new Connector(createAdapter(production), production.bot.auth!.appId);
    const local = { ...forged, serviceUrl: 'http://127.0.0.1:9/_connector' };
    const error = await connector.sendText(local, 'hej').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUrlRefusedError);
  });

  it('keeps the adapter itself (roster and team lookups, proactive posts) to the list', async () => {
    const config = parseConfig({ NORRBUS_ENV: 'test', ORGANISATION_DIRECTORY: 'env/organisations.local.json' });
    const adapter = createAdapter(config);
    let ran = false;
    const error = await adapter
      .continueConversationAsync('', { ...forged, bot: { id: 'b', name: 'n' } } as never, async () => {
        ran = true;
      })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUrlRefusedError);
    expect(ran).toBe(false);
  });
});
