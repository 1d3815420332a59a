import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../src/texts/sv';
import { ORGS } from '../support/organisations';
import { cardOf, cardTexts, type Frame } from '../support/playground';
import { startTick } from '../support/reminderSeed';
import { registerForum, type Round, startRound } from '../support/round';

const START = '2026-05-04T08:00:00Z';

const report = {
  municipality: 'Luleå',
  caseReference: 'NB-2026-0007',
  party: 'primarvard',
  kind: 'summonsNotAnswered',
  whatHappened: 'Kallelsen besvarades inte inom svarstiden.',
  consequence: 'Mötet försenades en vecka.',
  suggestedAction: 'Se över bevakningen av kanalen.',
};

/** A deviation report from the form to the forum and the deviating party, analysed and closed in the channels. */
describe('deviation reports', () => {
  let round: Round;

  beforeAll(async () => {
    round = await startRound(START);
    await registerForum(round);
  }, 120_000);
  /** The social services team's General channel plays Södra länsdelen's samverkansgrupp (the Playground allows one team per organisation). */
  const LANSDEL_CHANNEL = ORGS.socialtjanst.general;
  afterAll(() => round?.stop());

  const reportCard = (frame: Frame) => frame.message?.attachments?.length && cardTexts(cardOf(frame))[0] === 'Avvikelserapport AV-2026-0001';

  it('registers Södra länsdelen\'s samverkansgrupp from its channel, by one of its municipalities', async () => {
    const { thread, reply } = await round.pg.socialtjanst.postInChannel(LANSDEL_CHANNEL, 'registrera');
    expect(cardTexts(cardOf(reply))).toContain(sv.register.areaLabel);
    expect(JSON.stringify(cardOf(reply))).toContain(`"title":"${sv.party.lansdel}","value":"lansdel"`);
    const badArea = await round.pg.socialtjanst.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'forum', forumArea: '121212-1212' });
    expect(cardTexts(badArea.value)).toContain(sv.register.badArea);
    expect(JSON.stringify(badArea.value)).not.toContain('121212-1212');
    // Luleå kommun holds no forum in Kiruna, so it cannot register Norra länsdelen's group.
    const elsewhere = await round.pg.socialtjanst.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Kiruna', party: 'lansdel' });
    expect(cardTexts(elsewhere.value)[0]).toBe(sv.register.organisationMayNot('Luleå kommun', sv.register.lansdelParty, 'Norra länsdelen'));
    const done = await round.pg.socialtjanst.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Boden', party: 'lansdel' });
    expect(cardTexts(done.value)[0]).toBe(sv.register.done(sv.register.lansdelParty, 'Södra länsdelen'));
    expect((await round.bot.store.intakeChannels.getLansdel('sodra'))?.value).toMatchObject({ party: 'lansdel', lansdel: 'sodra', channelId: LANSDEL_CHANNEL });
    const again = await round.pg.socialtjanst.invoke(thread, reply.message!.messageId, 'registerChannel', { municipality: 'Luleå', party: 'lansdel' });
    expect(cardTexts(again.value)[0]).toBe(sv.register.alreadyThisChannel(sv.register.lansdelParty, 'Södra länsdelen'));
  });

  it('travels from the form to a closed analysis, each side acting only in its own channel, the länsdel informed and the reporter reporting to Samverkansstruktur', async () => {
    await round.pg.skola.say(ORGS.skola.personalChat, 'norrbus avvikelse');
    const form = await round.pg.skola.nextIn(ORGS.skola.personalChat, 'the deviation form');
    expect(cardTexts(cardOf(form))[0]).toBe(sv.deviation.formTitle);

    const refused = await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'submitDeviation', { ...report, whatHappened: 'Gäller 121212-1212' });
    expect(cardTexts(refused.value)).toContain(sv.deviation.personnummer);
    expect(JSON.stringify(refused.value)).not.toContain('121212-1212');
    expect(await round.bot.store.deviations.forMunicipality('Luleå')).toEqual([]);

    const sent = await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'submitDeviation', report);
    // The form becomes the reporter's own copy of the report.
    expect(cardTexts(sent.value)[0]).toBe('Avvikelserapport AV-2026-0001');
    expect(JSON.stringify(sent.value)).toContain(sv.deviation.registered('AV-2026-0001'));
    expect(JSON.stringify(sent.value)).toContain(sv.deviation.sentToLansdel('Södra länsdelen'));
    expect(cardTexts(sent.value)).not.toContain(sv.deviation.reportToCounty);

    const forumPost = await round.pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.general && !!reportCard(f), 'the report in the forum');
    const partyPost = await round.pg.primarvard.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.primarvard.intakeChannel && !!reportCard(f), 'the report in primary care');
    expect(cardTexts(cardOf(partyPost))).toEqual(expect.arrayContaining(['Kallelse inte besvarad', 'Primärvård', 'Ny', 'Vi analyserar', 'Analys']));
    expect(cardTexts(cardOf(forumPost))).not.toContain('Vi analyserar');
    const lansdelPost = await round.pg.socialtjanst.next((f) => f.action === 'createMessage' && f.actionConversationId === LANSDEL_CHANNEL && !!reportCard(f), 'the report in the länsdel');
    const lansdelTexts = cardTexts(cardOf(lansdelPost));
    expect(lansdelTexts).toEqual(expect.arrayContaining(['Kallelse inte besvarad', sv.deviation.lansdelNote('Södra länsdelen')]));
    for (const action of ['Vi analyserar', 'Analys', 'Avsluta', sv.deviation.reportToCounty]) expect(lansdelTexts).not.toContain(action);
    const deviation = (await round.bot.store.deviations.forMunicipality('Luleå'))[0];
    const data = { municipality: 'Luleå', id: deviation.id };
    const forumThread = forumPost.message!.postConversationId!;
    const partyThread = partyPost.message!.postConversationId!;

    expect(cardTexts((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'closeDeviation', data)).value)).toContain(sv.deviation.notAnalysed);
    expect((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'analyseDeviation', { ...data, cause: 'x', measures: 'y' })).value).toBe(sv.deviation.onlyParty);

    const analysing = await round.pg.primarvard.invoke(partyThread, partyPost.message!.messageId, 'deviationStatus', { ...data, status: 'analysing' });
    expect(cardTexts(analysing.value)).toContain('Under analys');
    await round.pg.skola.next((f) => f.action === 'updateMessage' && !!reportCard(f) && cardTexts(cardOf(f)).includes('Under analys'), 'the forum sees "under analys"');

    const analysed = await round.pg.primarvard.invoke(partyThread, partyPost.message!.messageId, 'analyseDeviation', {
      ...data,
      cause: 'Kanalen bevakades inte under semestern.',
      measures: 'Ersättare utsedd för kanalen.',
    });
    expect(cardTexts(analysed.value)).toEqual(expect.arrayContaining(['Analyserad', sv.deviation.analysisText('Kanalen bevakades inte under semestern.', 'Ersättare utsedd för kanalen.')]));
    await round.pg.skola.next((f) => f.action === 'updateMessage' && !!reportCard(f) && cardTexts(cardOf(f)).includes('Avsluta'), 'the forum can close');
    await round.pg.socialtjanst.next((f) => f.action === 'updateMessage' && f.actionConversationId === LANSDEL_CHANNEL && cardTexts(cardOf(f)).includes('Analyserad'), 'the länsdel sees the analysis');
    await round.pg.skola.next(
      (f) => f.action === 'updateMessage' && f.actionConversationId === ORGS.skola.personalChat && cardTexts(cardOf(f)).includes(sv.deviation.reportToCounty),
      'the reporter can report to Samverkansstruktur',
    );

    // "Rapportera till Samverkansstruktur": only the reporter, on its own copy; then on every copy.
    expect((await round.pg.primarvard.invoke(partyThread, partyPost.message!.messageId, 'reportDeviationToCounty', data)).value).toBe(sv.deviation.onlyReporter);
    expect((await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'reportDeviationToCounty', data)).value).toBe(sv.deviation.onlyReporter);
    const pnr = await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'reportDeviationToCounty', { ...data, decisions: 'Gäller 121212-1212' });
    expect(cardTexts(pnr.value)).toContain(sv.deviation.personnummer);
    const countyReport = await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'reportDeviationToCounty', { ...data, decisions: 'Rutinen för bevakning ses över i alla hälsocentraler.' });
    const reportTexts = cardTexts(countyReport.value);
    expect(reportTexts).toContain(sv.deviation.countyReportHeading);
    const text = reportTexts.find((t) => t.startsWith('Avvikelserapport AV-2026-0001, Luleå (Södra länsdelen)'))!;
    expect(text).toContain('Noterad av: Skola');
    expect(text).toContain('Analys (Primärvård');
    expect(text).toContain('Beslut: Rutinen för bevakning ses över i alla hälsocentraler.');
    expect(text).toContain('NB-2026-0007');
    expect(text).not.toContain(ORGS.skola.currentUser.name);
    await round.pg.skola.next((f) => f.action === 'updateMessage' && f.actionConversationId === ORGS.skola.general && cardTexts(cardOf(f)).includes(sv.deviation.facts.county), 'the forum sees it reported');

    expect((await round.pg.primarvard.invoke(partyThread, partyPost.message!.messageId, 'closeDeviation', data)).value).toBe(sv.deviation.onlyForum);
    const closed = await round.pg.skola.invoke(forumThread, forumPost.message!.messageId, 'closeDeviation', data);
    expect(cardTexts(closed.value)).toContain('Avslutad');
    expect((await round.bot.store.deviations.get('Luleå', deviation.id))!.value).toMatchObject({ status: 'closed', reference: 'AV-2026-0001', analysisDue: '2026-07-03' });
    const audit = (await round.bot.store.audit.listMonth('2026-05')).filter((e) => e.entity === 'Deviation').map((e) => e.action);
    expect(audit).toEqual(['deviationReported', 'deviationAnalysing', 'deviationAnalysed', 'deviationReportedToCounty', 'deviationClosed']);
    expect((await round.bot.store.deviations.get('Luleå', deviation.id))!.value.countyReports).toMatchObject([{ status: 'analysed', by: { party: 'skola' }, decisions: 'Rutinen för bevakning ses över i alla hälsocentraler.' }]);
  });

  it('refuses a report in the name of a municipality the reporter does not belong to', async () => {
    await round.pg.skola.say(ORGS.skola.personalChat, 'norrbus avvikelse');
    const form = await round.pg.skola.nextIn(ORGS.skola.personalChat, 'the deviation form');
    const refused = await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'submitDeviation', { ...report, municipality: 'Kiruna' });
    expect(cardTexts(refused.value)).toContain(sv.authority.notPartyIn('Kiruna'));
    expect(await round.bot.store.deviations.forMunicipality('Kiruna')).toEqual([]);
  });

  it('stores the report and says so when the municipality has no forum channel', async () => {
    // The health centre's channel is also primary care's way in for Kiruna (the Region acts in all 14).
    const hertson = (await round.bot.store.intakeChannels.get('Luleå', 'primarvard'))!.value;
    await round.bot.store.intakeChannels.put({ ...hertson, municipality: 'Kiruna' });
    await round.pg.primarvard.say(ORGS.primarvard.personalChat, 'norrbus avvikelse');
    const form = await round.pg.primarvard.nextIn(ORGS.primarvard.personalChat, 'the deviation form');
    const sent = await round.pg.primarvard.invoke(ORGS.primarvard.personalChat, form.message!.messageId, 'submitDeviation', { ...report, municipality: 'Kiruna', party: 'socialtjanst' });
    expect(JSON.stringify(sent.value)).toContain(sv.deviation.registered('AV-2026-0001'));
    expect(JSON.stringify(sent.value)).toContain('Kiruna har ingen registrerad kanal för Forum barn och unga');
    const stored = await round.bot.store.deviations.forMunicipality('Kiruna');
    expect(stored.map((d) => d.reportedBy)).toEqual([{ id: ORGS.primarvard.currentUser.aadObjectId, aadObjectId: ORGS.primarvard.currentUser.aadObjectId, name: ORGS.primarvard.currentUser.name, party: 'primarvard' }]);
  });

  it('sends a report to the forum of the area its reporter\'s channel belongs to, when the municipality has several forums', async () => {
    // Forum barn och unga, område Råneå: primary care's General plays it (the Region may hold a forum in every municipality).
    const hertson = (await round.bot.store.intakeChannels.get('Luleå', 'primarvard'))!.value;
    const raneForum = { ...hertson, party: 'forum' as const, forumArea: 'Råneå', channelId: ORGS.primarvard.general, channelName: 'General', conversationReference: { ...hertson.conversationReference, conversation: { ...hertson.conversationReference.conversation, id: ORGS.primarvard.general } } };
    await round.bot.store.intakeChannels.put(raneForum);
    const social = (await round.bot.store.intakeChannels.get('Luleå', 'socialtjanst'))!.value;
    await round.bot.store.intakeChannels.put({ ...social, forumArea: 'Råneå' });
    await round.pg.socialtjanst.say(ORGS.socialtjanst.personalChat, 'norrbus avvikelse');
    const form = await round.pg.socialtjanst.nextIn(ORGS.socialtjanst.personalChat, 'the deviation form');
    const sent = await round.pg.socialtjanst.invoke(ORGS.socialtjanst.personalChat, form.message!.messageId, 'submitDeviation', { ...report, caseReference: '', party: 'skola', kind: 'other' });
    const reference = cardTexts(sent.value)[0].replace('Avvikelserapport ', '');
    await round.pg.primarvard.next((f) => f.action === 'createMessage' && f.actionConversationId === ORGS.primarvard.general && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === `Avvikelserapport ${reference}`, 'the report in Råneå\'s forum');
    const stored = (await round.bot.store.deviations.forMunicipality('Luleå')).find((d) => d.reference === reference)!;
    expect(stored.forumArea).toBe('Råneå');
    expect(stored.posts.forum?.threadId).toContain(ORGS.primarvard.general);
    // Back to one forum for the rest: the report stays with Råneå's.
    await round.bot.store.intakeChannels.put(social);
    await round.bot.store.deviations.change('Luleå', stored.id, (d) => ({ ...d, status: 'closed' }));
    await round.bot.store.intakeChannels.remove('Luleå', 'forum:ranea');
  });

  it('gives the forum its monthly digest on the first working day, once, and reminds the party when the analysis is due', async () => {
    await round.pg.skola.say(ORGS.skola.personalChat, 'norrbus avvikelse');
    const form = await round.pg.skola.nextIn(ORGS.skola.personalChat, 'the deviation form');
    await round.pg.skola.invoke(ORGS.skola.personalChat, form.message!.messageId, 'submitDeviation', { ...report, party: 'socialtjanst', kind: 'didNotTakePart' });
    const posted = await round.pg.socialtjanst.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.socialtjanst.intakeChannel && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Avvikelserapport AV-2026-0003',
      'the report in social services',
    );

    expect(await round.bot.forum.run(new Date('2026-05-29T09:30:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 }); // not the first working day
    expect(await round.bot.forum.run(new Date('2026-06-01T08:30:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 }); // before 09:00
    // The digest by `norrbus tick --at`, as a cron job would run it.
    const tick = await startTick(new Date('2026-06-01T09:30:00+02:00'), round.bot.storage).done;
    expect(tick.code, tick.stderr).toBe(0);
    expect(tick.result).toMatchObject({ digests: 1, analysisReminders: 0 });
    const digest = await round.pg.skola.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS.skola.general && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Forum barn och unga, Luleå – läget juni 2026',
      'the digest in the forum',
    );
    const texts = cardTexts(cardOf(digest));
    expect(texts).toEqual(expect.arrayContaining(['Nya och öppna avvikelser: 1', 'Deltog inte', '1 (AV-2026-0003)', 'Socialtjänst']));
    expect(await round.bot.forum.run(new Date('2026-06-01T10:30:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 });

    // The first working day of a quarter: the forum's July digest, and Södra länsdelen's quarterly one, once.
    expect(await round.bot.forum.run(new Date('2026-07-01T09:30:00+02:00'))).toEqual({ digests: 1, analysisReminders: 0, lansdelDigests: 1 });
    const quarterly = await round.pg.socialtjanst.next(
      (f) => f.action === 'createMessage' && f.actionConversationId === LANSDEL_CHANNEL && !!f.message?.attachments?.length && cardTexts(cardOf(f))[0] === 'Samverkansgrupp barn och unga, Södra länsdelen – läget kvartal 3 2026',
      'the quarterly digest in the länsdel',
    );
    const quarterTexts = cardTexts(cardOf(quarterly));
    expect(quarterTexts).toEqual(expect.arrayContaining([sv.deviation.lansdelDigest.byMunicipality, 'Luleå', sv.deviation.lansdelDigest.lastQuarter('kvartal 2 2026'), sv.deviation.lansdelDigest.reported]));
    expect(quarterTexts.join(' ')).not.toContain('NB-2026');
    expect(await round.bot.forum.run(new Date('2026-07-01T10:30:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 });
    expect(await round.bot.forum.run(new Date('2026-07-02T09:00:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 });
    expect(await round.bot.forum.run(new Date('2026-07-03T09:00:00+02:00'))).toEqual({ digests: 0, analysisReminders: 1, lansdelDigests: 0 });
    const reminder = await round.pg.socialtjanst.next((f) => f.action === 'createMessage' && f.actionConversationId === posted.message!.postConversationId, 'the analysis reminder');
    expect(reminder.message?.text).toBe(sv.deviation.analysisReminder('AV-2026-0003', '3 juli', false));
    expect(await round.bot.forum.run(new Date('2026-07-06T09:00:00+02:00'))).toEqual({ digests: 0, analysisReminders: 0, lansdelDigests: 0 }); // no second reminder (July's digest went out on the 1st)
  });
});
