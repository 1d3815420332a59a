import http from 'node:http';
import net from 'node:net';
import { RestError } from '@azure/data-tables';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { azuriteConnectionString } from '../../scripts/lib/services';
import { AlreadyExistsError, ConcurrencyError } from '../../src/store/errors';
import type { IntakeChannel } from '../../src/store/intakeChannelRepository';
import { isStorageUnavailable, openStore, STORAGE_LIMITS, type Store } from '../../src/store/store';
import { startAzurite } from '../support/azurite';
import { testTablePrefix } from '../support/store';

const TENANT = '9f1a7c2e-0000-4000-8000-000000000001';

function channel(channelId = '19:elevhalsan@thread.tacv2'): IntakeChannel {
  return {
    municipality: 'Luleå',
    party: 'skola',
    tenantId: TENANT,
    teamId: '19:team-bou@thread.tacv2',
    channelId,
    serviceUrl: 'http://localhost:56150/_connector',
    conversationReference: { serviceUrl: 'http://localhost:56150/_connector', channelId: 'msteams', conversation: { id: channelId } },
    registeredAt: '2026-03-02T08:15:00.000Z',
    registeredBy: 'aad-user-karin',
  };
}

/** The error a promise rejects with, and how long that took. */
async function failure(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  try {
    await work();
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
  throw new Error('expected a failure');
}

/**
 * A stand-in for the storage endpoint in front of `target`: each request is first offered to
 * `fault`, which may answer it (or drop the connection) itself; otherwise it is passed through.
 */
async function faultyProxy(targetPort: number, fault: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  let n = 0;
  const server = http.createServer((req, res) => {
    if (fault(++n, req, res)) return;
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return { port, requests: () => n, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('storage calls when storage is away or slow', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('fail within about a second when the endpoint refuses connections, marked as storage being unreachable', async () => {
    const azurite = await startAzurite();
    const store = await openStore({ connectionString: azurite.connectionString, tablePrefix: testTablePrefix() });
    await store.intakeChannels.put(channel());
    await azurite.stop();

    for (const call of [() => store.intakeChannels.get('Luleå', 'skola'), () => store.intakeChannels.put(channel()), () => store.intakeChannels.listMunicipality('Luleå')]) {
      const { error, ms } = await failure(call);
      expect(isStorageUnavailable(error)).toBe(true);
      // Three short retries (≈75 + 150 + 300 ms at most, jittered), not the SDK's 6 s and more.
      expect(ms).toBeLessThan(1_500);
    }
  });

  it('give up on an endpoint that accepts and never answers within the deadline, having tried again once', async () => {
    let connections = 0;
    const sockets = new Set<net.Socket>();
    const hung = net.createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          hung.close(() => resolve());
        }),
    );
    const port = (hung.address() as net.AddressInfo).port;

    // Opening creates every table: each of those calls hangs, so opening fails at the deadline.
    const { error, ms } = await failure(() => openStore({ connectionString: azuriteConnectionString(port), tablePrefix: testTablePrefix() }));
    expect(isStorageUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThan(STORAGE_LIMITS.deadlineMs - 100);
    expect(ms).toBeLessThan(STORAGE_LIMITS.deadlineMs + 1_000);
    // 13 tables, each tried, timed out after 1.5 s and tried once more before the deadline.
    expect(connections).toBeGreaterThanOrEqual(2 * 13);
  });

  describe('over a real Azurite behind a faulty link', () => {
    const connectionString = inject('storageConnectionString');
    const azuritePort = Number(/TableEndpoint=http:\/\/127\.0\.0\.1:(\d+)/.exec(connectionString)?.[1]);

    async function storeBehind(fault: Parameters<typeof faultyProxy>[1]): Promise<{ store: Store; proxy: Awaited<ReturnType<typeof faultyProxy>> }> {
      let faulty = false;
      const proxy = await faultyProxy(azuritePort, (n, req, res) => faulty && fault(n, req, res));
      cleanups.push(proxy.close);
      const store = await openStore({ connectionString: azuriteConnectionString(proxy.port), tablePrefix: testTablePrefix() });
      faulty = true;
      return { store, proxy };
    }

    it('ride out a blip: dropped connections and a 503 are retried, and the call succeeds', async () => {
      let dropCount = 0;
      const dropped = await storeBehind((_n, req, res) => {
        if (dropCount < 2) {
          dropCount++;
          req.socket.destroy();
          res.destroy();
          return true;
        }
        return false;
      });
      const before = dropped.proxy.requests();
      const start = performance.now();
      await dropped.store.intakeChannels.put(channel());
      expect(performance.now() - start).toBeLessThan(1_500);
      expect(dropCount).toBe(2);
      expect(dropped.proxy.requests() - before).toBe(3);

      let busy = 0;
      const overloaded = await storeBehind((_n, _req, res) => {
        if (busy++ > 0) return false;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}');
        return true;
      });
      await expect(overloaded.store.intakeChannels.put(channel())).resolves.toMatchObject({ value: { channelId: channel().channelId } });
      expect(busy).toBe(2);
    });

    it('tell storage that keeps failing (503) from answers such as 404, 409 and 412', async () => {
      const failing = await storeBehind((_n, _req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"odata.error":{"code":"ServerBusy","message":{"value":"busy"}}}');
        return true;
      });
      const { error } = await failure(() => failing.store.intakeChannels.get('Luleå', 'skola'));
      expect(isStorageUnavailable(error)).toBe(true);

      const healthy = await storeBehind(() => false);
      const store = healthy.store;
      await expect(store.intakeChannels.get('Luleå', 'skola')).resolves.toBeUndefined();
      const created = await store.intakeChannels.create(channel());
      const duplicate = await failure(() => store.intakeChannels.create(channel()));
      expect(duplicate.error).toBeInstanceOf(AlreadyExistsError);
      expect(isStorageUnavailable(duplicate.error)).toBe(false);
      await store.intakeChannels.put(channel('19:other@thread.tacv2'));
      const stale = await failure(() => store.intakeChannels.replace(channel(), created.etag));
      expect(stale.error).toBeInstanceOf(ConcurrencyError);
      expect(isStorageUnavailable(stale.error)).toBe(false);
    });
  });

  it('do not take an unreachable Teams service or a bug for storage', () => {
    // The connector's HTTP errors are RestErrors too, but they did not come out of a storage call.
    expect(isStorageUnavailable(new RestError('connect ECONNREFUSED 127.0.0.1:56150', { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isStorageUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isStorageUnavailable(undefined)).toBe(false);
    expect(isStorageUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('recognise a storage failure wrapped in another error', async () => {
    const azurite = await startAzurite();
    const store = await openStore({ connectionString: azurite.connectionString, tablePrefix: testTablePrefix() });
    await azurite.stop();
    const wrapped = new Error('could not load the meeting', { cause: (await failure(() => store.meetings.get('m1'))).error });
    expect(isStorageUnavailable(wrapped)).toBe(true);
  });
});
