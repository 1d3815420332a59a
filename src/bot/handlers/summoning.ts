import { z } from 'zod';
import { statusCard } from '../../cards/meetingCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { SUMMONABLE_PARTIES, unsummonedParties, type SummonableParty } from '../../domain/meeting';
import { settleMeeting } from '../../scheduler/effects';
import { auditEffect, effect } from '../../store/effects';
import { changeMeeting, type MeetingChange } from '../../store/meetingChange';
import { pendingSend, summonsDeliveryTo, withStatusRefresh, type Meeting } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { meetingFromThread } from './meetingAccess';

/** A meeting still open to summoning: not cancelled, the coordination not closed. */
const open = (meeting: Meeting) => meeting.state !== 'cancelled' && !meeting.closure;

const addData = z.object({ addParty: z.enum(SUMMONABLE_PARTIES), addPartyConsent: z.literal('true') });

/**
 * "Kalla fler parter" on the status card: a party summoned after the start (for instance
 * specialistvård), once the convener confirms that the consent covers it. Its summons goes to its
 * registered intake channel like the first ones; if the meeting is fixed, its card asks whether the time suits it.
 */
export async function addParty(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const now = deps.clock();
  const current = access.meeting.value;
  if (!open(current)) return statusCard(current, sv.meeting.notOpen, now);
  const parsed = addData.safeParse(raw);
  if (!parsed.success || !unsummonedParties(current).includes(parsed.data.addParty)) return statusCard(current, sv.meeting.addPartyRequired, now);
  const party = parsed.data.addParty;
  const channel = await deps.store.intakeChannels.get(current.intake.municipality, party);
  if (!channel) return statusCard(current, sv.intake.missingChannels(sv.party[party], current.intake.municipality), now);
  const at = now.toISOString();
  const { stored } = await changeMeeting(
    deps.store,
    current.id,
    now,
    (m): MeetingChange<undefined> => {
      if (!open(m) || !unsummonedParties(m).includes(party)) return { result: undefined };
      const intake = {
        ...m.intake,
        summoned: [...m.intake.summoned, party],
        consent: { ...m.intake.consent, parties: [...new Set([...m.intake.consent.parties, party])] },
      };
      const meeting = withStatusRefresh({ ...m, intake, summons: { ...m.summons, [party]: summonsDeliveryTo(channel.value) }, pending: [...m.pending, pendingSend('summons', { party })] });
      return {
        meeting,
        effects: [
          auditEffect({ at, actor: turn.actor.id, action: 'partyAdded', entity: 'Meeting', key: m.id, details: { party, actorAad: turn.actor.person.aadObjectId ?? '' } }),
          effect({ reminders: m.id }),
        ],
        result: undefined,
      };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  deps.log.info({ meetingId: current.id, party }, 'party added');
  return statusCard(stored.value, '', now);
}

/**
 * "Kalla igen" beside a party that declined: its answer is set aside, its card can be answered
 * again, and its thread is told.
 */
export async function resummonParty(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const now = deps.clock();
  const party = z.enum(SUMMONABLE_PARTIES).safeParse(raw.party);
  const declined = (m: Meeting, p: SummonableParty) => m.answers[p]?.kind === 'decline';
  if (!open(access.meeting.value)) return statusCard(access.meeting.value, sv.meeting.notOpen, now);
  if (!party.success || !declined(access.meeting.value, party.data)) return statusCard(access.meeting.value, sv.meeting.resummonOnlyDeclined, now);
  const at = now.toISOString();
  const { stored } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (m): MeetingChange<undefined> => {
      if (!open(m) || !declined(m, party.data)) return { result: undefined };
      const { [party.data]: _answer, ...answers } = m.answers;
      const { [party.data]: _time, ...timeAnswers } = m.timeAnswers ?? {};
      const pending = [...m.pending, pendingSend('refreshSummons', { party: party.data }), pendingSend('notice', { party: party.data, notice: 'resummoned' })];
      const meeting = withStatusRefresh({ ...m, answers, timeAnswers, pending });
      return {
        meeting,
        effects: [
          auditEffect({ at, actor: turn.actor.id, action: 'partyResummoned', entity: 'Meeting', key: m.id, details: { party: party.data, actorAad: turn.actor.person.aadObjectId ?? '' } }),
          effect({ reminders: m.id }),
        ],
        result: undefined,
      };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return statusCard(stored.value, '', now);
}
