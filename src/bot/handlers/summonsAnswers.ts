import { DateTime } from 'luxon';
import { z } from 'zod';
import { summonsCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { ZONE } from '../../domain/calendar';
import { answerFixedTime, answerSummons, SUMMONABLE_PARTIES, type Answer, type AnswerRefusal, type TimeAnswerRefusal } from '../../domain/meeting';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { crashPoint } from '../../crashPoint';
import { settleMeeting } from '../../scheduler/effects';
import { auditEffect, effect } from '../../store/effects';
import { changeMeeting } from '../../store/meetingChange';
import { withStatusRefresh } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { meetingFromThread } from './meetingAccess';

const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
const text = (max: number) => z.string().trim().min(1).max(max).refine((v) => !containsPersonalIdentityNumber(v));

const answerData = z.discriminatedUnion('answer', [
  z.object({
    answer: z.literal('attend'),
    participant: text(200),
    // A multi-select choice comes as "t1,t2".
    time: z.string().transform((v) => [...new Set(v.split(',').map((t) => t.trim()).filter(Boolean))]).pipe(z.array(localDateTime).min(1).max(3)),
  }),
  z.object({
    answer: z.literal('propose'),
    altDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    altTime: z.string().regex(/^\d{2}:\d{2}$/),
    comment: z.string().trim().max(200).refine((v) => !containsPersonalIdentityNumber(v)).default(''),
  }),
  z.object({ answer: z.literal('decline'), reason: text(300) }),
]);

const refusalText: Record<AnswerRefusal, string> = {
  notSummoned: sv.meeting.notYourThread,
  alreadyFixed: sv.meeting.alreadyFixed,
  cancelled: sv.meeting.isCancelled,
  unknownTime: sv.meeting.unknownTime,
};

function toAnswer(data: z.infer<typeof answerData>, now: Date): Answer | undefined {
  switch (data.answer) {
    case 'attend':
      return { kind: 'attend', participant: data.participant, times: data.time.sort() };
    case 'propose': {
      const when = DateTime.fromISO(`${data.altDate}T${data.altTime}`, { zone: ZONE });
      if (!when.isValid || when.toJSDate() <= now) return undefined;
      return { kind: 'propose', time: `${data.altDate}T${data.altTime}`, comment: data.comment };
    }
    case 'decline':
      return { kind: 'decline', reason: data.reason };
  }
}

/**
 * "Vi deltar", "Föreslå annan tid" or "Kan inte delta" on a summons card. Returns the card as it
 * now stands, or a message (leaving the card as it was) when the answer is refused.
 */
export async function submitAnswer(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const party = z.enum(SUMMONABLE_PARTIES).safeParse(raw.party);
  if (!party.success) return sv.meeting.notYourThread;
  const access = await meetingFromThread(turn, deps, raw.meetingId, party.data);
  if (!access.ok) return access.message;

  const now = deps.clock();
  const parsed = answerData.safeParse(raw);
  const answer = parsed.success ? toAnswer(parsed.data, now) : undefined;
  if (!answer) return summonsCard(access.meeting.value, party.data, sv.meeting.answerRequired);

  const by = turn.actor.person;
  const at = now.toISOString();
  const effects = [
    auditEffect({ at, actor: turn.actor.id, action: 'summonsAnswered', entity: 'Meeting', key: access.meeting.value.id, details: { party: party.data, answer: answer.kind, actorAad: by.aadObjectId ?? '' } }),
    effect({ userMeeting: { userId: turn.actor.id, meetingId: access.meeting.value.id, role: 'answered', party: party.data, at } }),
    effect({ reminders: access.meeting.value.id }),
  ];
  const { stored, result: refusal, changed } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current) => {
      const result = answerSummons(current, party.data, answer, by, at);
      if (!result.ok) return { result: result.refusal };
      return result.changed ? { meeting: withStatusRefresh(result.meeting), effects, result: undefined } : { result: undefined };
    },
    async (store, id, known) => {
      crashPoint('answer:stored');
      await settleMeeting(store, id, known);
    },
    access.meeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  const meeting = stored.value;
  if (refusal) return summonsCard(meeting, party.data, refusalText[refusal]);
  if (changed) deps.log.info({ meetingId: meeting.id, party: party.data, answer: answer.kind }, 'summons answered');
  return summonsCard(meeting, party.data);
}

const timeAnswerText: Record<TimeAnswerRefusal, string> = {
  notFixed: sv.meeting.notFixedYet,
  cancelled: sv.meeting.isCancelled,
  notAsked: sv.meeting.notAsked,
  staleTime: sv.meeting.staleTime,
};

/** "Ny tid: passar den?" on a summons card once the convener fixed a time the party had not chosen. */
export async function submitTimeAnswer(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const party = z.enum(SUMMONABLE_PARTIES).safeParse(raw.party);
  if (!party.success) return sv.meeting.notYourThread;
  const access = await meetingFromThread(turn, deps, raw.meetingId, party.data);
  if (!access.ok) return access.message;
  const time = localDateTime.safeParse(raw.time);
  const fits = raw.fits === 'yes' ? true : raw.fits === 'no' ? false : undefined;
  if (!time.success || fits === undefined) return summonsCard(access.meeting.value, party.data, sv.meeting.answerRequired);
  const now = deps.clock();
  const by = turn.actor.person;
  const at = now.toISOString();
  const { stored, result: refusal, changed } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current) => {
      const result = answerFixedTime(current, party.data, time.data, fits, by, at);
      if (!result.ok) return { result: result.refusal };
      if (!result.changed) return { result: undefined };
      const effects = [
        auditEffect({ at, actor: turn.actor.id, action: 'fixedTimeAnswered', entity: 'Meeting', key: current.id, details: { party: party.data, fits: String(fits), actorAad: by.aadObjectId ?? '' } }),
        effect({ userMeeting: { userId: turn.actor.id, meetingId: current.id, role: 'answered', party: party.data, at } }),
        effect({ reminders: current.id }),
      ];
      return { meeting: withStatusRefresh(result.meeting), effects, result: undefined };
    },
    settleMeeting,
    access.meeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  if (refusal) return summonsCard(stored.value, party.data, timeAnswerText[refusal]);
  if (changed) deps.log.info({ meetingId: stored.value.id, party: party.data, fits }, 'fixed time answered');
  return summonsCard(stored.value, party.data);
}
