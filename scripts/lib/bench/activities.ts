import { createHash, randomUUID } from 'node:crypto';
import { addWorkingDays, dateInStockholm, isWorkingDay } from '../../../src/domain/calendar';
import { BOT_ID, BOT_NAME, ORGS, type DemoPartyKey } from '../../../test/support/organisations';
import type { SinkMember } from './sink';

/**
 * Bot Framework activities as Teams (and the Agents Playground, test/bot/activities.ts) sends them,
 * for the benchmark and the two-instance test: a chat message, and Action.Execute invokes in the
 * channel threads of the Luleå demo organisations (test/support/organisations.ts). The bot checks
 * each against storage, so the ids in them must be those of real meetings and threads.
 */

export type SummonedParty = 'socialtjanst' | 'primarvard';

/** The people of the three organisations as their teams' rosters answer for them (role "user", own tenant). */
export function rosterMembers(): Record<string, SinkMember> {
  return Object.fromEntries(
    (Object.keys(ORGS) as DemoPartyKey[]).map((key) => {
      const { currentUser, tenantId } = ORGS[key];
      return [currentUser.id, { id: currentUser.id, name: currentUser.name, aadObjectId: currentUser.aadObjectId, tenantId, userRole: 'user' as const }];
    }),
  );
}

function base(serviceUrl: string, party: DemoPartyKey, conversation: Record<string, unknown>, channelData: Record<string, unknown>) {
  const org = ORGS[party];
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: org.currentUser.id, name: org.currentUser.name, aadObjectId: org.currentUser.aadObjectId },
    recipient: { id: BOT_ID, name: BOT_NAME },
    conversation,
    channelData: { tenant: { id: org.tenantId }, ...channelData },
    locale: 'sv-SE',
  };
}

/** A message in the person's personal chat with the bot (no @mention needed there). */
export function personalMessage(serviceUrl: string, party: DemoPartyKey, text: string): Record<string, unknown> {
  const org = ORGS[party];
  return {
    ...base(serviceUrl, party, { id: org.personalChat, conversationType: 'personal', tenantId: org.tenantId }, {}),
    type: 'message',
    text,
    textFormat: 'plain',
    entities: [{ type: 'clientInfo', locale: 'sv-SE' }],
  };
}

/** An Action.Execute click on the card `cardId` in the thread `threadId` of the party's intake channel. */
export function channelCardAction(serviceUrl: string, party: DemoPartyKey, threadId: string, cardId: string, verb: string, data: Record<string, unknown>): Record<string, unknown> {
  const org = ORGS[party];
  return {
    ...base(
      serviceUrl,
      party,
      { id: threadId, conversationType: 'channel', tenantId: org.tenantId, isGroup: true },
      { team: { id: org.teamId, name: org.teamName }, channel: { id: org.intakeChannel, name: org.intakeChannelName } },
    ),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** A new thread in the school's intake channel, as Teams names it: `<channel>;messageid=<root post>`. */
export function schoolThread(rootPostId: string): string {
  return `${ORGS.skola.intakeChannel};messageid=${rootPostId}`;
}

/** The meeting id the bot gives the intake card `cardId` in `threadId` (src/bot/handlers/newMeeting.ts, meetingIdFor). */
export function meetingIdOf(threadId: string, cardId: string): string {
  return `m${createHash('sha256').update(`${threadId}|${cardId}`).digest('hex').slice(0, 16)}`;
}

/** The first working day at least `days` working days after `from`. */
function workingDayAfter(from: string, days: number): string {
  const day = addWorkingDays(from, days);
  return isWorkingDay(day) ? day : addWorkingDays(day, 1);
}

/** The two meeting times an intake made `now` proposes (8 and 9 working days on, 13:00 and 09:00). */
export function proposedTimes(now: Date): [string, string] {
  const today = dateInStockholm(now);
  return [`${workingDayAfter(today, 8)}T13:00`, `${workingDayAfter(today, 9)}T09:00`];
}

/**
 * The intake card as the school sends it with "Skicka kallelse", summoning social services and
 * primary care, consent given today (`now`, Europe/Stockholm), under the case reference given.
 */
export function intakeData(caseReference: string, now: Date): Record<string, string> {
  const today = dateInStockholm(now);
  const [t1, t2] = proposedTimes(now);
  return {
    municipality: 'Luleå',
    convener: 'skola',
    summoned: 'socialtjanst,primarvard',
    caseReference,
    age: '14',
    gender: 'flicka',
    purpose: 'Ökande frånvaro och sömnsvårigheter; behov av samlad bild och plan',
    urgent: 'false',
    consentDate: today,
    consentFrom: 'ungdomen,vardnadshavare',
    consentParties: 'socialtjanst,primarvard',
    consentConfirmed: 'true',
    time1Date: t1.slice(0, 10),
    time1Time: t1.slice(11),
    time2Date: t2.slice(0, 10),
    time2Time: t2.slice(11),
    place: 'Sunderby skola, konferensrum 2',
    placedOutsideHome: 'false',
  };
}

/** `nytt möte` submitted: the intake card `cardId` (the root of a new thread in the school's channel) sent with "Skicka kallelse". */
export function submitIntake(serviceUrl: string, cardId: string, caseReference: string, now: Date): { activity: Record<string, unknown>; meetingId: string; threadId: string } {
  const threadId = schoolThread(cardId);
  return { activity: channelCardAction(serviceUrl, 'skola', threadId, cardId, 'submitIntake', intakeData(caseReference, now)), meetingId: meetingIdOf(threadId, cardId), threadId };
}

/** A party's answer on its summons card: attending, with a participant (a new name makes each a real change) at the first time. */
export function answerSummons(serviceUrl: string, party: SummonedParty, summons: { meetingId: string; threadId: string; cardId: string; time: string }, participant: string): Record<string, unknown> {
  return channelCardAction(serviceUrl, party, summons.threadId, summons.cardId, 'answerSummons', {
    meetingId: summons.meetingId,
    party,
    answer: 'attend',
    participant,
    time: summons.time,
  });
}

/** "Spara" on a commitment confirmation card (`cardId`, a reply in the convener's thread): the school's commitment. */
export function saveCommitment(serviceUrl: string, meeting: { meetingId: string; threadId: string }, cardId: string, followUpDate: string): Record<string, unknown> {
  return channelCardAction(serviceUrl, 'skola', meeting.threadId, cardId, 'saveCommitment', {
    meetingId: meeting.meetingId,
    party: 'skola',
    intervention: 'Anpassad studieplan',
    scope: '2 h/vecka',
    performer: 'specialpedagog',
    followUpDate,
  });
}
