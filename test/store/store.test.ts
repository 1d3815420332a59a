import { beforeAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConcurrencyError } from '../../src/store/errors';
import type { InstallationTarget } from '../../src/store/installationRepository';
import type { IntakeChannel } from '../../src/store/intakeChannelRepository';
import type { Meeting } from '../../src/store/meetingRepository';
import type { Store } from '../../src/store/store';
import { storedMeeting } from '../stats/seed';
import { openTestStore } from '../support/store';

const TENANT = '9f1a7c2e-0000-4000-8000-000000000001';
const reference = (conversationId: string) => ({
  serviceUrl: 'http://localhost:56150/_connector',
  channelId: 'msteams',
  conversation: { id: conversationId, tenantId: TENANT },
  bot: { id: 'bot', name: 'Norrbus' },
});

function channel(overrides: Partial<IntakeChannel> = {}): IntakeChannel {
  const channelId = overrides.channelId ?? '19:elevhalsan@thread.tacv2';
  return {
    municipality: 'Luleå',
    party: 'skola',
    tenantId: TENANT,
    teamId: '19:team-bou@thread.tacv2',
    channelId,
    serviceUrl: 'http://localhost:56150/_connector',
    conversationReference: reference(channelId),
    registeredAt: '2026-03-02T08:15:00.000Z',
    registeredBy: 'aad-user-karin',
    ...overrides,
  };
}

describe('store over Azurite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
  });

  it('reads an answer stored before a party could choose several times as its one time', async () => {
    const meeting = storedMeeting({ n: 41, municipality: 'Luleå', summoned: ['socialtjanst'], consentDate: '2026-03-02', summonsDate: '2026-03-02' });
    const legacy = { kind: 'attend', participant: 'Jonas', time: '2026-03-12T13:00', by: { id: 'u-1' }, at: '2026-03-03T09:00:00.000Z' };
    await store.meetings.put({ ...meeting, answers: { socialtjanst: legacy } } as unknown as Meeting);
    expect((await store.meetings.get(meeting.id))!.value.answers.socialtjanst).toEqual({ kind: 'attend', participant: 'Jonas', times: ['2026-03-12T13:00'], by: { id: 'u-1' }, at: '2026-03-03T09:00:00.000Z' });
  });

  it('answers the health ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('stores and reads back a channel whose keys hold characters Azure forbids', async () => {
    const odd = channel({ channelId: '19:a/b\\c#d?e åäö@thread.tacv2' });
    await store.intakeChannels.create(odd);
    const [found] = await store.intakeChannels.findByChannel(odd.channelId);
    expect(found).toEqual(odd);
    const byKey = await store.intakeChannels.get('Luleå', 'skola');
    expect(byKey?.value.channelId).toBe(odd.channelId);
  });

  it('refuses a second create and a stale replace', async () => {
    const first = await store.intakeChannels.create(channel({ municipality: 'Kiruna' }));
    await expect(store.intakeChannels.create(channel({ municipality: 'Kiruna' }))).rejects.toBeInstanceOf(AlreadyExistsError);

    const moved = await store.intakeChannels.replace(channel({ municipality: 'Kiruna', channelId: '19:new@thread.tacv2' }), first.etag);
    expect(moved.etag).not.toBe(first.etag);
    await expect(
      store.intakeChannels.replace(channel({ municipality: 'Kiruna', channelId: '19:stale@thread.tacv2' }), first.etag),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.intakeChannels.get('Kiruna', 'skola'))?.value.channelId).toBe('19:new@thread.tacv2');
  });

  it('keeps a record larger than one property allows (64 KiB) whole', async () => {
    const big = channel({ municipality: 'Pajala' });
    big.conversationReference = { ...big.conversationReference, padding: 'x'.repeat(150_000) };
    await store.intakeChannels.create(big);
    expect((await store.intakeChannels.get('Pajala', 'skola'))?.value).toEqual(big);
  });

  it('validates records on write: a bad municipality is never stored', async () => {
    await expect(store.intakeChannels.create({ ...channel(), municipality: 'Stockholm' as never })).rejects.toThrow();
    expect(await store.intakeChannels.listMunicipality('Luleå')).toHaveLength(1);
  });

  it('applies concurrent mutations one after the other (ETag retry), losing none', async () => {
    await store.audit.append({ at: '2026-03-02T08:00:00.000Z', actor: 'system', action: 'seed', entity: 'Test', key: 'k' });
    const target = channel({ municipality: 'Boden' });
    await store.intakeChannels.create(target);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.intakeChannels.mutate('Boden', 'skola', (current) =>
          current ? { ...current, registeredBy: `${current.registeredBy}+${i}` } : undefined,
        ),
      ),
    );
    const final = (await store.intakeChannels.get('Boden', 'skola'))!.value.registeredBy;
    expect(final.split('+').slice(1).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('lists a municipality in party order', async () => {
    await store.intakeChannels.create(channel({ municipality: 'Kalix', party: 'forum', channelId: '19:f@thread.tacv2' }));
    await store.intakeChannels.create(channel({ municipality: 'Kalix', party: 'primarvard', channelId: '19:p@thread.tacv2' }));
    await store.intakeChannels.create(channel({ municipality: 'Kalix', party: 'skola', channelId: '19:s@thread.tacv2' }));
    expect((await store.intakeChannels.listMunicipality('Kalix')).map((c) => c.party)).toEqual(['skola', 'primarvard', 'forum']);
  });

  describe('installations', () => {
    const target = (id: string): InstallationTarget => ({
      tenantId: TENANT,
      conversationId: id,
      scope: 'team',
      teamId: id,
      serviceUrl: 'http://localhost:56150/_connector',
      conversationReference: reference(id),
    });
    const at = (minute: number) => `2026-03-02T08:${String(minute).padStart(2, '0')}:00.000Z`;

    it('records add, add-upgrade, remove and remove-upgrade idempotently', async () => {
      const t = target('19:team-a@thread.tacv2');
      expect((await store.installations.record(t, { action: 'add', at: at(1) })).statusChanged).toBe(true);
      expect((await store.installations.record(t, { action: 'add', at: at(1) })).statusChanged).toBe(false);
      const upgraded = await store.installations.record(t, { action: 'add', at: at(2) });
      expect(upgraded.statusChanged).toBe(false);
      expect(upgraded.installation.value).toMatchObject({ status: 'installed', installedAt: at(1), lastEventAt: at(2) });
      const removed = await store.installations.record(t, { action: 'remove', at: at(3) });
      expect(removed.statusChanged).toBe(true);
      expect(removed.installation.value).toMatchObject({ status: 'removed', installedAt: at(1), removedAt: at(3) });
      await store.installations.record(t, { action: 'remove', at: at(4) });
      expect((await store.installations.find(TENANT, t.conversationId))?.value.status).toBe('removed');
    });

    it('ends in the same state whatever order the events arrive in, even twice', async () => {
      const events = [
        { action: 'add' as const, at: at(10) },
        { action: 'add' as const, at: at(11) },
        { action: 'remove' as const, at: at(12) },
        { action: 'add' as const, at: at(13) },
      ];
      const orders = [events, [...events].reverse(), [events[2], events[0], events[3], events[1]]];
      const finals = [];
      for (const [i, order] of orders.entries()) {
        const t = target(`19:team-order-${i}@thread.tacv2`);
        for (const e of [...order, ...order]) await store.installations.record(t, e);
        const { value } = (await store.installations.find(TENANT, t.conversationId))!;
        finals.push({ status: value.status, lastEventAt: value.lastEventAt });
      }
      expect(finals).toEqual(Array(3).fill({ status: 'installed', lastEventAt: at(13) }));
    });
  });

  it('appends audit entries that can be read back by month', async () => {
    await store.audit.append({ at: '2026-04-01T10:00:00.000Z', actor: 'aad-1', action: 'registerChannel', entity: 'IntakeChannel', key: 'Luleå/skola' });
    await store.audit.append({ at: '2026-04-01T10:00:00.000Z', actor: 'aad-2', action: 'registerChannel', entity: 'IntakeChannel', key: 'Luleå/skola' });
    const april = await store.audit.listMonth('2026-04');
    expect(april.map((e) => e.actor).sort()).toEqual(['aad-1', 'aad-2']);
  });
});
