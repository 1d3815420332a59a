import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import type { TestBot } from '../support/bot';
import { cardOf, cardTexts, ORG, Playground } from '../support/playground';
import { AzuriteChild, startBotOn } from '../support/storageBot';
import { counts, dumpTables } from './tables';

/** How long a person waited for something, in ms. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: Math.round(performance.now() - start) };
}

/**
 * Azure Storage goes away under a running bot (its Azurite stopped) and comes back (started again on
 * the same port): Karin in the real Agents Playground is told at once, in Swedish, that nothing
 * changed; nothing is half-written; the bot carries on by itself once storage answers again.
 */
describe('while storage is away', () => {
  let azurite: AzuriteChild;
  let bot: TestBot;
  let playground: Playground;
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    azurite = await AzuriteChild.start();
    bot = await startBotOn(azurite.connectionString, { LOG_LEVEL: 'silent', REMINDER_INTERVAL_SECONDS: '0' });
    playground = await Playground.start(bot.endpoint);
  });
  afterAll(async () => {
    await playground?.stop();
    await bot?.close();
    await azurite?.stop();
    console.log(`storage away, measured (ms): ${JSON.stringify(measured)}`);
  });


  it('answers a message and a card action within seconds, changes nothing, and recovers without a restart', async () => {
    const { thread, reply } = await playground.postInChannel(ORG.elevhalsan, 'registrera');
    const cardId = reply.message!.messageId;
    expect(cardTexts(cardOf(reply))[0]).toBe('Registrera kanalen i Norrbus');
    const before = counts(await dumpTables(bot.storage));

    await azurite.pause();

    // A message: the answer comes well before Teams would give up, and says what happened.
    const message = await timed(async () => {
      await playground.say(ORG.personalChat, 'norrbus kanaler Luleå');
      return playground.nextIn(ORG.personalChat, 'the answer while storage is away');
    });
    measured.messageWhileAway = message.ms;
    expect(message.result.message?.text).toBe(sv.storageUnavailable);
    expect(message.result.message?.attachments ?? []).toEqual([]);
    expect(message.ms).toBeLessThan(3_000);

    // A card action: answered within Teams' invoke budget with a message, so the card stays as it is.
    const invoke = await timed(() => playground.invoke(thread, cardId, 'registerChannel', { municipality: 'Luleå', party: 'skola' }));
    measured.invokeWhileAway = invoke.ms;
    expect(invoke.result).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: sv.storageUnavailable });
    expect(invoke.ms).toBeLessThan(4_000);

    // The health check says so too, as fast.
    const health = await timed(() => fetch(`${bot.url}/healthz`));
    measured.healthWhileAway = health.ms;
    expect(health.result.status).toBe(503);

    await azurite.resume();
    const resumedAt = performance.now();

    // Nothing of the failed attempts was stored, and the card was never replaced.
    expect(counts(await dumpTables(bot.storage))).toEqual(before);
    expect(await bot.store.intakeChannels.get('Luleå', 'skola')).toBeUndefined();
    expect(playground.frames.filter((f) => f.action === 'updateMessage' && f.message?.messageId === cardId)).toEqual([]);

    // The same actions succeed now, with the same bot.
    const again = await timed(() => playground.invoke(thread, cardId, 'registerChannel', { municipality: 'Luleå', party: 'skola' }));
    measured.invokeAfterReturn = again.ms;
    measured.firstSuccessAfterResume = Math.round(performance.now() - resumedAt);
    expect(cardTexts(again.result.value)[0]).toBe('Kanalen är registrerad som Skola i Luleå.');
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))?.value.channelId).toBe(ORG.elevhalsan);

    const listed = await timed(async () => {
      await playground.say(ORG.personalChat, 'norrbus kanaler Luleå');
      return playground.nextIn(ORG.personalChat, 'the directory once storage is back');
    });
    measured.messageAfterReturn = listed.ms;
    const texts = cardTexts(cardOf(listed.result));
    expect(texts[0]).toBe('Norrbus-kanaler i Luleå');
    expect(texts).toContain(`${ORG.teamName} › Norrbus – Elevhälsan`);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    const audit = await bot.store.audit.listMonth(new Date().toISOString().slice(0, 7));
    expect(audit.filter((e) => e.entity === 'IntakeChannel').map((e) => e.action)).toEqual(['registerIntakeChannel']);
  });
});
