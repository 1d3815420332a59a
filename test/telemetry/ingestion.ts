import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One Application Insights envelope as the Azure Monitor exporter sends it. */
export interface Envelope {
  name: string;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
  tags?: Record<string, string>;
  [key: string]: unknown;
}

/** A self-signed certificate for 127.0.0.1, for this test server only (the exporter sends over https only). */
export const LOOPBACK_CERT = path.join(__dirname, 'fixtures', 'loopback-cert.pem');
const LOOPBACK_KEY = path.join(__dirname, 'fixtures', 'loopback-key.pem');

/**
 * An Application Insights ingestion endpoint on loopback, over https with LOOPBACK_CERT (the bot
 * process trusts it through NODE_EXTRA_CA_CERTS): accepts what the bot's real exporter
 * posts to `/v2.1/track` (JSON lines or an array, gzip or not) and keeps every envelope, with the
 * raw text of each request for searching.
 */
export interface Ingestion {
  connectionString: string;
  envelopes: Envelope[];
  raw: string[];
  close(): Promise<void>;
}

export async function startIngestion(): Promise<Ingestion> {
  const envelopes: Envelope[] = [];
  const raw: string[] = [];
  const server: Server = createServer({ cert: readFileSync(LOOPBACK_CERT), key: readFileSync(LOOPBACK_KEY) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      raw.push(`${req.method} ${req.url}\n${text}`);
      let received = 0;
      if (req.method === 'POST' && text.trim()) {
        const parsed: unknown[] = text.trim().startsWith('[') ? (JSON.parse(text) as unknown[]) : text.trim().split('\n').map((l) => JSON.parse(l) as unknown);
        envelopes.push(...(parsed as Envelope[]));
        received = parsed.length;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: received, itemsAccepted: received, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `https://127.0.0.1:${port}/`;
  return {
    connectionString: `InstrumentationKey=0b7a9c3e-5d2f-4e6a-8b1c-9d0e1f2a3b4c;IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`,
    envelopes,
    raw,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
