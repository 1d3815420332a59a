import { seedDemoDirectory } from '../../scripts/lib/demo';
import type { Party } from '../../src/domain/party';
import { clockFrom, startTestBot, type TestBot } from './bot';
import { ORGS, type DemoPartyKey } from './organisations';
import { cardOf, cardTexts, Playground, type Frame } from './playground';

/** The three Luleå organisations, each in its own Playground, against one real bot, with the directory seeded. */
export interface Round {
  bot: TestBot;
  pg: Record<DemoPartyKey, Playground>;
  stop(): Promise<void>;
}

/** Reminder passes run only when a test runs them (`round.bot.reminders.run(at)`), never on their own. */
export async function startRound(start: string, clock: () => Date = clockFrom(start), vars: Record<string, string> = {}): Promise<Round> {
  const bot = await startTestBot({ OUTBOX_INTERVAL_SECONDS: '0.5', REMINDER_INTERVAL_SECONDS: '0', ...vars }, clock);
  const keys = ['skola', 'socialtjanst', 'primarvard'] as const;
  const started = await Promise.all(keys.map((k) => Playground.start(bot.endpoint, ORGS[k])));
  const pg = { skola: started[0], socialtjanst: started[1], primarvard: started[2] };
  await seedDemoDirectory(bot.store, { skola: pg.skola.serviceUrl, socialtjanst: pg.socialtjanst.serviceUrl, primarvard: pg.primarvard.serviceUrl }, new Date(start));
  return {
    bot,
    pg,
    stop: async () => {
      await Promise.all(started.map((p) => p.stop()));
      await bot.close();
    },
  };
}

export interface ConvenedMeeting {
  meetingId: string;
  /** The convener's thread and its status card. */
  thread: string;
  statusCardId: string;
  /** Each summoned party's thread and summons card. */
  summons: Record<'socialtjanst' | 'primarvard', { thread: string; cardId: string; frame: Frame }>;
}

/**
 * Registers `party` in Luleå on the General channel of one Playground's team (the Playground allows
 * one team per organisation), as that organisation's intake channel is registered.
 */
export async function registerGeneralChannel(round: Round, of: DemoPartyKey, party: Party): Promise<void> {
  const intake = (await round.bot.store.intakeChannels.get('Luleå', of))!.value;
  await round.bot.store.intakeChannels.put({
    ...intake,
    party,
    channelId: ORGS[of].general,
    channelName: 'General',
    conversationReference: { ...intake.conversationReference, conversation: { ...intake.conversationReference.conversation, id: ORGS[of].general } },
  });
}

/** Registers Forum barn och unga, Luleå: the school team's General channel plays the forum's channel. */
export function registerForum(round: Round): Promise<void> {
  return registerGeneralChannel(round, 'skola', 'forum');
}

/** Karin convenes social services and primary care from her channel; returns once both summons have arrived. */
export async function convene(round: Round, intake: Record<string, string>): Promise<ConvenedMeeting> {
  const { pg } = round;
  const post = await pg.skola.say(ORGS.skola.intakeChannel, 'nytt möte', { mention: true });
  const thread = post.postConversationId!;
  const card = await pg.skola.next((f) => f.action === 'createMessage' && f.actionConversationId === thread, 'the intake card');
  const statusCardId = card.message!.messageId;
  const status = await pg.skola.invoke(thread, statusCardId, 'submitIntake', intake);
  if (!cardTexts(status.value)[0]?.startsWith('Norrbusmöte')) throw new Error(`intake refused: ${cardTexts(status.value).join(' | ')}`);
  const arrived = async (party: 'socialtjanst' | 'primarvard') => {
    const frame = await pg[party].next(
      (f) => f.action === 'createMessage' && f.actionConversationId === ORGS[party].intakeChannel && cardTexts(cardOf(f))[0]?.startsWith('Kallelse till') === true,
      `the summons to ${party}`,
    );
    return { thread: frame.message!.postConversationId!, cardId: frame.message!.messageId, frame };
  };
  const [socialtjanst, primarvard] = await Promise.all([arrived('socialtjanst'), arrived('primarvard')]);
  const meetingId = (await round.bot.store.caseReferences.find('Luleå', intake.caseReference))!.value.meetingId;
  // The outbox records each summons as posted (and plans its reminders) just after the post arrives.
  for (let i = 0; i < 200; i++) {
    const stored = (await round.bot.store.meetings.get(meetingId))?.value;
    if (stored && stored.pending.length === 0 && stored.summons.socialtjanst?.sentAt && stored.summons.primarvard?.sentAt) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { meetingId, thread, statusCardId, summons: { socialtjanst, primarvard } };
}
