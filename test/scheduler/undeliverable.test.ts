import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleReminders } from '../../src/scheduler/schedule';
import { sv } from '../../src/texts/sv';
import { startTestBot, type TestBot } from '../support/bot';
import { ORGS } from '../support/organisations';
import { Playground } from '../support/playground';
import { newMeetingId, nudgeDay, nudgeMeeting, openThreads } from '../support/reminderSeed';

/** A reminder to a thread Teams no longer knows (the bot removed from the team: 404) is dropped, and the convener told. */
describe('an undeliverable reminder', () => {
  let bot: TestBot;
  let school: Playground;
  let social: Playground;

  beforeAll(async () => {
    bot = await startTestBot({ REMINDER_INTERVAL_SECONDS: '0' });
    [school, social] = await Promise.all([Playground.start(bot.endpoint, ORGS.skola), Playground.start(bot.endpoint, ORGS.socialtjanst)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([school?.stop(), social?.stop()]);
    await bot?.close();
  });

  it('is not retried forever: it is dropped and the convener is told in its thread', async () => {
    const { summonsDate, at } = nudgeDay();
    const [convenerThread] = await openThreads(school.url, ORGS.skola, 1);
    const meeting = nudgeMeeting({
      id: newMeetingId(),
      party: 'socialtjanst',
      serviceUrl: social.serviceUrl,
      thread: { threadId: `${ORGS.socialtjanst.intakeChannel};messageid=4040404`, activityId: '4040404' },
      summonsDate,
      caseReference: 'NB-2026-0404',
    });
    meeting.convener = {
      conversationId: convenerThread.threadId,
      statusActivityId: convenerThread.activityId,
      conversationReference: { ...meeting.convener.conversationReference, serviceUrl: school.serviceUrl },
    };
    await bot.store.meetings.create(meeting);
    await scheduleReminders(bot.store, meeting.id);

    expect(await bot.reminders.run(at)).toMatchObject({ posted: 0, dropped: 1, retrying: 0 });
    const told = await school.next((f) => f.action === 'createMessage' && f.actionConversationId === convenerThread.threadId, 'the convener told');
    expect(told.message?.text).toBe(sv.reminder.undeliverable('Socialtjänst', 'NB-2026-0404'));
    expect(await bot.store.reminders.due(at.toISOString().slice(0, 10))).toEqual([]);
    expect(await bot.reminders.run(new Date(at.getTime() + 3_600_000))).toMatchObject({ posted: 0, dropped: 0 });
  });
});
