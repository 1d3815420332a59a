import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/bot';
import { ORG } from '../support/playground';
import { installation } from './activities';
import { counts, dumpTables } from './tables';

/**
 * Authentication for real: the bot runs with an app id, and the Bot Framework's token service is
 * played on loopback (OpenID metadata and a JWKS), with tokens signed here by a key of our own.
 * The activity is an installationUpdate: the bot records it and sends nothing, so no call needs a
 * token of the bot's own from Microsoft's login service (which cannot be reached from here).
 */

const APP_ID = '7d3c2b1a-0f9e-4d8c-b7a6-5e4f3a2b1c0d';
const OTHER_APP = '8e4d3c2b-1a0f-4e9d-a8b7-6f5e4d3c2b1a';
const TEAMS_SERVICE = 'https://smba.trafficmanager.net/emea/';
const UNAUTHORIZED = '{"error":"unauthorized"}';

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

/** The token service: OpenID metadata naming a JWKS with one RSA key, and whoever asked. */
interface TokenService {
  url: string;
  issuer: string;
  requests: string[];
  key: KeyObject;
  kid: string;
  publicPem: string;
  server: Server;
}

async function startTokenService(): Promise<TokenService> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'norrbus-test-key';
  const jwk = publicKey.export({ format: 'jwk' });
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openidconfiguration') {
      res.end(JSON.stringify({ issuer: `${base}/`, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      // As the Bot Framework's keys: each endorsed for the channels that may use it.
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, issuer: `${url}/`, requests, key: privateKey, kid, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), server };
}

describe('authentication of incoming activities (BOT_ID set)', () => {
  let tokens: TokenService;
  let bot: TestBot;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: tokens.issuer,
    aud: APP_ID,
    serviceurl: TEAMS_SERVICE,
    nbf: now() - 60,
    exp: now() + 3600,
    iat: now() - 60,
    ...extra,
  });
  const token = (extra: Record<string, unknown> = {}, key: KeyObject = tokens.key, kid: string = tokens.kid) =>
    jwt({ alg: 'RS256', typ: 'JWT', kid }, claims(extra), key);
  const activity = () => installation({ serviceUrl: TEAMS_SERVICE, teamId: ORG.teamId });
  const post = (authorization: string | undefined, body: unknown = activity()) =>
    fetch(bot.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    tokens = await startTokenService();
    bot = await startTestBot({
      BOT_ID: APP_ID,
      BOT_PASSWORD: 'not-a-real-secret',
      BOT_TENANT_ID: ORG.tenantId,
      BOT_TYPE: 'SingleTenant',
      BOT_OPENID_METADATA_URL: `${tokens.url}/.well-known/openidconfiguration`,
      BOT_TOKEN_ISSUER: tokens.issuer,
      LOG_LEVEL: 'silent',
      REMINDER_INTERVAL_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await bot?.close();
    await new Promise((resolve) => tokens?.server.close(resolve));
  });

  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const refused: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty Authorization header', () => ''],
    ['a garbage token', () => 'Bearer not.a.token'],
    ['another scheme', () => `Basic ${Buffer.from('norrbus:secret').toString('base64')}`],
    ['a token without the Bearer scheme', () => token()],
    ['a token for another bot', () => `Bearer ${token({ aud: OTHER_APP })}`],
    ['a token without audience', () => `Bearer ${token({ aud: undefined })}`],
    ['a token from another issuer', () => `Bearer ${token({ iss: 'https://api.botframework.com' })}`],
    ['a token signed by a key not in the JWKS', () => `Bearer ${token({}, stranger, 'unknown-key')}`],
    ['a token signed by another key under the known kid', () => `Bearer ${token({}, stranger)}`],
    ['an expired token (beyond the 5 min tolerance)', () => `Bearer ${token({ exp: now() - 600, nbf: now() - 4000 })}`],
    ['a token not valid yet', () => `Bearer ${token({ nbf: now() + 900 })}`],
    ['a token for another serviceUrl', () => `Bearer ${token({ serviceurl: 'https://smba.trafficmanager.net/amer/' })}`],
    ['an unsigned token (alg none)', () => `Bearer ${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: tokens.kid }))}.${b64url(JSON.stringify(claims()))}.`],
    [
      'a token MACed with the public key (alg confusion)',
      () => {
        const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: tokens.kid }))}.${b64url(JSON.stringify(claims()))}`;
        return `Bearer ${input}.${createHmac('sha256', tokens.publicPem).update(input).digest('base64url')}`;
      },
    ],
  ];

  it.each(refused)('refuses %s with 401 and stores nothing', async (_what, authorization) => {
    const response = await post(authorization());
    expect([response.status, await response.text()]).toEqual([401, UNAUTHORIZED]);
    expect(await bot.store.installations.find(ORG.tenantId, ORG.teamId)).toBeUndefined();
  });

  it('refuses a valid token on an activity from a channel its key is not endorsed for', async () => {
    const response = await post(`Bearer ${token()}`, { ...activity(), channelId: 'webchat' });
    expect([response.status, await response.text()]).toEqual([401, UNAUTHORIZED]);
  });

  it('refuses malformed activities and service URLs outside the Teams hosts with 400, token or not', async () => {
    const { conversation: _dropped, ...noConversation } = activity();
    for (const [body, authorization] of [
      [noConversation, `Bearer ${token()}`],
      [{ ...activity(), text: 42 }, undefined],
      [{ ...activity(), serviceUrl: 'http://127.0.0.1:9/_connector' }, `Bearer ${token({ serviceurl: 'http://127.0.0.1:9/_connector' })}`],
      [{ ...activity(), serviceUrl: 'https://smba.trafficmanager.net.evil.example.com/' }, undefined],
    ] as const) {
      const response = await post(authorization, body);
      expect([response.status, await response.text()]).toEqual([400, '{"error":"bad request"}']);
    }
  });

  it('stored nothing for any refused request', async () => {
    const dump = await dumpTables(bot.storage);
    expect(Object.values(counts(dump)).every((n) => n === 0)).toBe(true);
  });

  it('accepts a valid token from the channel and records the installation', async () => {
    const response = await post(`Bearer ${token()}`);
    expect(response.status).toBe(200);
    const stored = await bot.store.installations.find(ORG.tenantId, ORG.teamId);
    expect(stored?.value).toMatchObject({ status: 'installed', serviceUrl: TEAMS_SERVICE });
    // The keys came from the loopback token service, nowhere else.
    expect(tokens.requests).toEqual(expect.arrayContaining(['/.well-known/openidconfiguration', '/keys']));
  });
});
