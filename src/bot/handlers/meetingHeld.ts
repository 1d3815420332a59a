import { DateTime } from 'luxon';
import { z } from 'zod';
import { statusCard } from '../../cards/meetingCards';
import { partiesOf } from '../../cards/planCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { ZONE } from '../../domain/calendar';
import { recordParticipation, type ParticipationRefusal } from '../../domain/plan';
import { settleMeeting } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import { changeMeeting, type MeetingChange } from '../../store/meetingChange';
import { withStatusRefresh } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { toggle } from './fields';
import { meetingFromThread } from './meetingAccess';

const refusalText: Record<ParticipationRefusal, string> = {
  notFixed: sv.meeting.heldNotFixed,
  notYetHeld: sv.meeting.heldNotYet,
  noParties: sv.meeting.heldNoParties,
  notAParty: sv.meeting.heldNotAParty,
};

const guardian = z.enum(['yes', 'no', 'none']).catch('none');
const heldSchema = z.object({
  heldParties: z.string().max(200).catch(''),
  youngPerson: toggle.catch(false),
  guardian1: guardian,
  guardian2: guardian,
  viewRecorded: toggle.catch(false),
});

/**
 * "Mötet hölls" on the convener's status card: which parties took part, whether the young person and
 * each guardian took part, and whether the young person's own view was sought and recorded (yes/no,
 * never its content). Recorded again it replaces what was recorded.
 */
export async function recordMeetingHeld(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const access = await meetingFromThread(turn, deps, raw.meetingId);
  if (!access.ok) return access.message;
  const now = deps.clock();
  const stated = heldSchema.parse(raw);
  const nowLocal = DateTime.fromJSDate(now, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
  let refusal: ParticipationRefusal | undefined;
  const { stored } = await changeMeeting(
    deps.store,
    access.meeting.value.id,
    now,
    (current): MeetingChange<undefined> => {
      if (current.closure) {
        refusal = 'notFixed';
        return { result: undefined };
      }
      const result = recordParticipation(
        { state: current.state, fixedTime: current.fixedTime, parties: partiesOf(current), age: current.intake.age },
        {
          parties: stated.heldParties.split(',').map((p) => p.trim()).filter(Boolean),
          youngPerson: stated.youngPerson,
          guardians: [stated.guardian1, stated.guardian2],
          viewRecorded: stated.viewRecorded,
        },
        nowLocal,
      );
      if (!result.ok) {
        refusal = result.refusal;
        return { result: undefined };
      }
      refusal = undefined;
      const held = { ...result.participation, at: now.toISOString(), by: turn.actor.person };
      const audit = auditEffect({
        at: now.toISOString(),
        actor: turn.actor.id,
        action: 'meetingHeld',
        entity: 'Meeting',
        key: current.id,
        details: { parties: held.parties.join(','), youngPerson: String(held.youngPerson), guardians: held.guardians.map(String).join(','), viewRecorded: String(held.viewRecorded), actorAad: turn.actor.person.aadObjectId ?? '' },
      });
      return { meeting: withStatusRefresh({ ...current, held }), effects: [audit], result: undefined };
    },
    settleMeeting,
  );
  if (!stored) return sv.meeting.unknownMeeting;
  return statusCard(stored.value, refusal ? refusalText[refusal] : '', now);
}
