import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUNICIPALITIES } from '../../src/domain/municipality';
import { sv } from '../../src/texts/sv';
import { postActivity, startTestBot, type TestBot } from '../support/bot';
import { norrbus } from '../support/cli';
import { cardOf, cardTexts, executeData, ORG, Playground } from '../support/playground';

/**
 * The real bot over HTTP and the real Agents Playground: installation, help, channel registration
 * and the directory, as Karin at Sunderby skola would do them.
 */
describe('end to end in the Agents Playground', () => {
  let bot: TestBot;
  let playground: Playground;

  beforeAll(async () => {
    bot = await startTestBot();
    playground = await Playground.start(bot.endpoint);
  });
  afterAll(async () => {
    await playground?.stop();
    await bot?.close();
  });


  it('records the bot being added to and removed from the team, idempotently', async () => {
    const install = await playground.template(ORG.teamId, 'install');
    const uninstall = await playground.template(ORG.teamId, 'uninstall');
    const at = (minute: number) => `2026-03-02T07:${minute}:00.000Z`;

    const stored = async () => (await bot.store.installations.find(ORG.tenantId, ORG.teamId))?.value;
    const waitFor = async (status: string, lastEventAt: string) =>
      expect.poll(async () => ({ status: (await stored())?.status, lastEventAt: (await stored())?.lastEventAt }), { timeout: 10_000 }).toEqual({ status, lastEventAt });

    await playground.sendCustom({ ...install, timestamp: at(10) });
    await waitFor('installed', at(10));
    await playground.sendCustom({ ...install, action: 'add-upgrade', timestamp: at(11) });
    await waitFor('installed', at(11));
    await playground.sendCustom({ ...uninstall, timestamp: at(12) });
    await waitFor('removed', at(12));
    // Late and repeated events change nothing.
    await playground.sendCustom({ ...install, timestamp: at(11) });
    await playground.sendCustom({ ...uninstall, action: 'remove-upgrade', timestamp: at(12) });
    const botAdded = await playground.template(ORG.teamId, 'botAdded');
    await playground.sendCustom({ ...botAdded, timestamp: at(13) });
    await waitFor('installed', at(13));

    const team = (await stored())!;
    expect(team).toMatchObject({ scope: 'team', teamId: ORG.teamId, serviceUrl: playground.serviceUrl, installedAt: at(13) });
    const audit = await bot.store.audit.listMonth(new Date().toISOString().slice(0, 7));
    expect(audit.filter((e) => e.entity === 'Installation').map((e) => e.action)).toEqual(['installBot', 'uninstallBot', 'installBot']);
  });

  it('answers "norrbus hjälp" in the personal chat with the help card listing every command', async () => {
    await playground.say(ORG.personalChat, 'norrbus hjälp');
    const texts = cardTexts(cardOf(await playground.nextIn(ORG.personalChat, 'the help card')));
    expect(texts[0]).toBe('Norrbus – samordning kring barn och unga');
    for (const command of [
      'norrbus nytt möte',
      'norrbus mina möten',
      'norrbus åtagande ‹text›',
      'norrbus plan',
      'norrbus avvikelse',
      'norrbus statistik [år] [kommun]',
      'norrbus registrera',
      'norrbus kanaler [kommun]',
      'norrbus hjälp',
    ]) {
      expect(texts).toContain(command);
    }
  });

  it('answers what it does not understand with the help card, also in a channel', async () => {
    await playground.say(ORG.personalChat, '/NORRBUS   vad kan du?');
    expect(cardTexts(cardOf(await playground.nextIn(ORG.personalChat, 'help for unknown text')))[0]).toBe(sv.help.title);
    const { reply } = await playground.postInChannel(ORG.elevhalsan, 'Hjälp');
    expect(cardTexts(cardOf(reply))[0]).toBe(sv.help.title);
    // A typo of a command gets "menade du …", not the whole help card.
    await playground.say(ORG.personalChat, 'norbus nytt möt');
    expect((await playground.nextIn(ORG.personalChat, 'did you mean')).message?.text).toBe(sv.didYouMean('nytt möte'));
  });

  it('explains that registration is done in a channel when asked in a personal chat', async () => {
    await playground.say(ORG.personalChat, 'norrbus registrera');
    const frame = await playground.nextIn(ORG.personalChat, 'the explanation');
    expect(frame.message?.text).toContain('En kanal registreras i kanalen själv');
    expect(await bot.store.intakeChannels.listMunicipality('Luleå')).toEqual([]);
  });

  it('registers the channel as the school\'s intake channel in Luleå and lists it', async () => {
    const { thread, reply } = await playground.postInChannel(ORG.elevhalsan, 'registrera');
    const card = cardOf(reply);
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Registrera kanalen i Norrbus', 'Kommun', 'Part', 'Registrera']));
    const municipalities = (card.body as { id?: string; choices?: { value: string }[] }[]).find((e) => e.id === 'municipality')!.choices!.map((c) => c.value);
    expect(municipalities).toEqual([...MUNICIPALITIES]);

    // Missing and forged values: the card comes back with the message, and nothing is stored.
    const incomplete = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå' });
    expect(cardTexts(incomplete.value)).toContain(sv.register.required);
    const forged = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Stockholm', party: 'skola' });
    expect(cardTexts(forged.value)).toContain(sv.register.required);
    expect(await bot.store.intakeChannels.listMunicipality('Luleå')).toEqual([]);

    const answer = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'skola' });
    expect(cardTexts(answer.value)[0]).toBe('Kanalen är registrerad som Skola i Luleå.');
    // Everyone in the channel sees the card replaced, not only the one who clicked.
    await playground.next(
      (f) => f.action === 'updateMessage' && f.message?.messageId === reply.message!.messageId && cardTexts(cardOf(f))[0] === 'Kanalen är registrerad som Skola i Luleå.',
      'the card updated for everyone in the channel',
    );

    const stored = (await bot.store.intakeChannels.get('Luleå', 'skola'))!.value;
    expect(stored).toMatchObject({
      tenantId: ORG.tenantId,
      teamId: ORG.teamId,
      channelId: ORG.elevhalsan,
      teamName: ORG.teamName,
      channelName: 'Norrbus – Elevhälsan',
      serviceUrl: playground.serviceUrl,
      registeredBy: ORG.karin.aadObjectId,
    });
    expect(stored.conversationReference.conversation.id).toBe(ORG.elevhalsan);

    const { reply: list } = await playground.postInChannel(ORG.elevhalsan, 'kanaler');
    const listed = cardTexts(cardOf(list));
    expect(listed[0]).toBe('Norrbus-kanaler i Luleå');
    expect(listed).toContain(`${ORG.teamName} › Norrbus – Elevhälsan`);
    // Specialistvård, the forum and Södra länsdelen's samverkansgrupp are not registered here.
    expect(listed.filter((t) => t === sv.channels.missing)).toHaveLength(5);
    expect(listed).toContain(sv.channels.lansdelRow('Södra länsdelen'));
  });

  it('does nothing when the same channel registers the same pair again', async () => {
    const { thread, reply } = await playground.postInChannel(ORG.elevhalsan, 'registrera');
    // The card comes preset with this channel's registration.
    const inputs = cardOf(reply).body as { id?: string; value?: string }[];
    expect(inputs.find((e) => e.id === 'municipality')?.value).toBe('Luleå');
    expect(inputs.find((e) => e.id === 'party')?.value).toBe('skola');
    const before = await bot.store.intakeChannels.get('Luleå', 'skola');
    const answer = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'skola' });
    expect(cardTexts(answer.value)[0]).toBe(sv.register.alreadyThisChannel('Skola', 'Luleå'));
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.etag).toBe(before!.etag);
  });

  it('replaces the registered channel only when that channel approves, telling both, and refuses stale and forged answers', async () => {
    const { thread, reply } = await playground.postInChannel(ORG.general, 'registrera');
    const question = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'skola' });
    const current = `${ORG.teamName} › Norrbus – Elevhälsan`;
    expect(cardTexts(question.value)).toEqual(expect.arrayContaining([sv.register.replaceQuestionApproval('Skola', 'Luleå', current), 'Begär byte', 'Avbryt']));
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value.channelId).toBe(ORG.elevhalsan);

    const request = executeData(question.value, 'replaceChannel');
    const cancelled = await playground.invoke(thread, reply.message!.messageId, 'cancelRegistration', {});
    expect(cardTexts(cancelled.value)[0]).toBe(sv.register.cancelled);
    const forged = await playground.invoke(thread, reply.message!.messageId, 'replaceChannel', { ...request, replacesChannelId: '19:something-else@thread.tacv2' });
    expect(cardTexts(forged.value)[0]).toBe(sv.register.stale);
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value.replacementRequest).toBeUndefined();

    // The request: nothing changes yet; the registered channel is asked in a new post of its own.
    const sent = await playground.invoke(thread, reply.message!.messageId, 'replaceChannel', request);
    expect(cardTexts(sent.value)[0]).toBe(sv.register.requestSent(current));
    const asked = await playground.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORG.elevhalsan && cardTexts(cardOf(f))[0] === sv.register.approvalTitle,
      'the approval card in the registered channel',
    );
    const approvalThread = asked.message!.postConversationId!;
    expect(cardTexts(cardOf(asked))).toContain(sv.register.approvalQuestion(`${ORG.teamName} › General`, 'Skola', 'Luleå'));
    const pending = (await bot.store.intakeChannels.get('Luleå', 'skola'))!.value;
    expect(pending.channelId).toBe(ORG.elevhalsan);
    expect(pending.replacementRequest).toMatchObject({ channel: { channelId: ORG.general }, approval: { threadId: approvalThread } });

    // The approval only counts in the registered channel's thread, never from the requesting one.
    const decision = executeData(cardOf(asked), 'approveReplacement');
    const selfApproved = await playground.invoke(thread, reply.message!.messageId, 'approveReplacement', decision);
    expect(cardTexts(selfApproved.value)[0]).toBe(sv.register.onlyCurrentChannel);
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value.channelId).toBe(ORG.elevhalsan);

    const approved = await playground.invoke(approvalThread, asked.message!.messageId, 'approveReplacement', decision);
    expect(cardTexts(approved.value)[0]).toBe(sv.register.approved(`${ORG.teamName} › General`, 'Skola', 'Luleå'));
    const told = await playground.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the requesting channel told');
    expect(cardTexts(cardOf(told))[0]).toBe(sv.register.approvedHere('Skola', 'Luleå'));
    const stored = (await bot.store.intakeChannels.get('Luleå', 'skola'))!.value;
    expect(stored).toMatchObject({ channelId: ORG.general, channelName: 'General', approvedBy: ORG.karin.aadObjectId });
    expect(stored.replacementRequest).toBeUndefined();

    // Clicking again on either card changes nothing.
    expect(cardTexts((await playground.invoke(approvalThread, asked.message!.messageId, 'approveReplacement', decision)).value)[0]).toBe(sv.register.requestStale);
    expect(cardTexts((await playground.invoke(thread, reply.message!.messageId, 'replaceChannel', request)).value)[0]).toBe(sv.register.alreadyThisChannel('Skola', 'Luleå'));

    const audit = await bot.store.audit.listMonth(new Date().toISOString().slice(0, 7));
    expect(audit.filter((e) => e.entity === 'IntakeChannel').map((e) => e.action).sort()).toEqual(['registerIntakeChannel', 'replaceIntakeChannel', 'requestIntakeChannelReplacement']);
  });

  it('lets an operator approve a waiting replacement with `norrbus kanaler godkänn`, as the card would', async () => {
    // General is the way in now; Elevhälsan asks to take over again.
    const { thread, reply } = await playground.postInChannel(ORG.elevhalsan, 'registrera');
    const question = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'skola' });
    await playground.invoke(thread, reply.message!.messageId, 'replaceChannel', executeData(question.value, 'replaceChannel'));
    const asked = await playground.next((f) => f.action === 'createMessage' && f.actionConversationId === ORG.general && cardTexts(cardOf(f))[0] === sv.register.approvalTitle, 'the approval card in General');
    const env = { STORAGE_CONNECTION_STRING: bot.storage.connectionString, STORAGE_TABLE_PREFIX: bot.storage.tablePrefix };

    const listed = await norrbus(['kanaler', 'lista', '--kommun', 'luleå'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(`Luleå\tskola\tLuleå kommun\t${ORG.teamName} › General\t${sv.cliChannels.waiting(`${ORG.teamName} › Norrbus – Elevhälsan`)}\n`);
    for (const bad of [['kanaler', 'godkänn', '--kommun', 'Luleå', '--operator', 'Drift'], ['kanaler', 'godkänn', '--kommun', 'Luleå', '--part', 'skola'], ['kanaler', 'flytta']]) {
      const refused = await norrbus(bad, env);
      expect(refused.code).toBe(2);
    }
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value.channelId).toBe(ORG.general);

    const approved = await norrbus(['kanaler', 'godkänn', '--kommun', 'Luleå', '--part', 'skola', '--operator', 'Drift Norrbus'], env);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout.trim()).toBe(sv.cliChannels.approved(`${ORG.teamName} › Norrbus – Elevhälsan`, 'Skola', 'Luleå'));
    expect((await bot.store.intakeChannels.get('Luleå', 'skola'))!.value).toMatchObject({ channelId: ORG.elevhalsan, approvedBy: 'operator:Drift Norrbus' });
    const told = await playground.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the requesting channel told');
    expect(cardTexts(cardOf(told))[0]).toBe(sv.register.approvedHere('Skola', 'Luleå'));
    await playground.next(
      (f) => f.action === 'updateMessage' && f.message?.messageId === asked.message!.messageId && cardTexts(cardOf(f))[0] === sv.register.approved(`${ORG.teamName} › Norrbus – Elevhälsan`, 'Skola', 'Luleå'),
      'the approval card in General says it was approved',
    );
    const again = await norrbus(['kanaler', 'godkänn', '--kommun', 'Luleå', '--part', 'skola', '--operator', 'Drift Norrbus'], env);
    expect([again.code, again.stderr.trim()]).toEqual([1, sv.cliChannels.nothingWaiting('Skola', 'Luleå')]);
    const audit = await bot.store.audit.listMonth(new Date().toISOString().slice(0, 7));
    expect(audit.filter((e) => e.action === 'replaceIntakeChannel').map((e) => e.actor)).toEqual([ORG.karin.aadObjectId, 'operator:Drift Norrbus']);
  });

  it('refuses registration for a party or municipality the organisation does not act as, and by a guest', async () => {
    const { thread, reply } = await playground.postInChannel(ORG.elevhalsan, 'registrera');
    for (const [municipality, party] of [['Kiruna', 'specialistvard'], ['Boden', 'socialtjanst'], ['Luleå', 'primarvard']] as const) {
      const answer = await playground.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality, party });
      expect(cardTexts(answer.value)[0]).toBe(sv.register.organisationMayNot('Luleå kommun', sv.party[party], municipality));
      expect(await bot.store.intakeChannels.get(municipality, party)).toBeUndefined();
    }
    // Someone who is not in the team's roster (a guest of another organisation) registers nothing:
    // the invoke Teams would send for them, posted to the bot's endpoint, answered in its HTTP response.
    const guest = await postActivity(bot.endpoint, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      serviceUrl: playground.serviceUrl,
      recipient: { id: ORG.botId, name: 'Norrbus' },
      conversation: { id: thread, conversationType: 'channel', isGroup: true, tenantId: ORG.tenantId },
      channelData: { tenant: { id: ORG.tenantId }, team: { id: ORG.teamId }, channel: { id: ORG.elevhalsan } },
      from: { id: '29:guest-from-elsewhere', name: 'Gäst' },
      replyToId: reply.message!.messageId,
      value: { action: { type: 'Action.Execute', verb: 'registerChannel', data: { municipality: 'Luleå', party: 'socialtjanst' } }, trigger: 'manual' },
    });
    expect(guest.status).toBe(200);
    expect(cardTexts((guest.body as { value: unknown }).value)[0]).toBe(sv.register.guest);
    expect(await bot.store.intakeChannels.get('Luleå', 'socialtjanst')).toBeUndefined();
  });

  it('refuses a registration card action sent from a personal chat', async () => {
    await playground.say(ORG.personalChat, 'norrbus hjälp');
    const help = await playground.nextIn(ORG.personalChat, 'a card to act on');
    const answer = await playground.invoke(ORG.personalChat, help.message!.messageId, 'registerChannel', { municipality: 'Kiruna', party: 'forum' });
    expect(cardTexts(answer.value)[0]).toBe(sv.register.onlyInChannel);
    expect(await bot.store.intakeChannels.get('Kiruna', 'forum')).toBeUndefined();
  });

  it('lists a named municipality from a personal chat, and refuses an unknown one without echoing it', async () => {
    await playground.say(ORG.personalChat, 'norrbus kanaler lulea');
    const texts = cardTexts(cardOf(await playground.nextIn(ORG.personalChat, 'the directory')));
    expect(texts[0]).toBe('Norrbus-kanaler i Luleå');
    expect(texts).toContain(`${ORG.teamName} › Norrbus – Elevhälsan`);

    await playground.say(ORG.personalChat, 'norrbus kanaler Stockholm');
    const answer = (await playground.nextIn(ORG.personalChat, 'unknown municipality')).message?.text;
    expect(answer).toBe(sv.unknownMunicipality);
    expect(answer).not.toContain('Stockholm');
  });
});
