import { z } from 'zod';
import { statusCard, summonsCard } from '../../cards/meetingCards';
import { planCard } from '../../cards/planCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { SUMMONABLE_PARTIES } from '../../domain/meeting';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { meetingFromThread, meetingOfCardInThread } from './meetingAccess';

const refreshData = z.discriminatedUnion('view', [
  z.object({ view: z.literal('status'), meetingId: z.string() }),
  z.object({ view: z.literal('summons'), meetingId: z.string(), party: z.enum(SUMMONABLE_PARTIES) }),
  z.object({ view: z.literal('plan'), meetingId: z.string() }),
]);

/**
 * `refreshCard` (Universal Actions): Teams asks for a meeting's card as it stands, for the person
 * opening it. The same checks as any action decide what they get: the card of this thread with the
 * buttons its people may use, or a message when the card does not belong here or they may not act.
 */
export async function refreshCard(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const parsed = refreshData.safeParse(data);
  if (!parsed.success) return sv.meeting.unknownMeeting;
  const request = parsed.data;
  switch (request.view) {
    case 'status': {
      const access = await meetingFromThread(turn, deps, request.meetingId);
      return access.ok ? statusCard(access.meeting.value, '', deps.clock()) : access.message;
    }
    case 'summons': {
      const access = await meetingFromThread(turn, deps, request.meetingId, request.party);
      return access.ok ? summonsCard(access.meeting.value, request.party) : access.message;
    }
    case 'plan': {
      const where = await meetingOfCardInThread(turn, deps, request.meetingId);
      if (typeof where === 'string') return where;
      return planCard(where.meeting.value, await deps.store.commitments.forMeeting(where.meeting.value.id), { thread: where.role });
    }
  }
}
