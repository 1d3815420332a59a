import { z } from 'zod';
import { partiesOf, planCard } from '../../cards/planCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { dateInStockholm } from '../../domain/calendar';
import type { SummonableParty } from '../../domain/meeting';
import { checkPlanRoles, placementStepParty } from '../../domain/plan';
import { settleMeeting } from '../../scheduler/effects';
import { auditEffect, effect } from '../../store/effects';
import { changeMeeting } from '../../store/meetingChange';
import { withPlanRefresh, type Meeting } from '../../store/meetingRepository';
import { sv } from '../../texts/sv';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';
import { dateOrEmpty, guarded, toggle } from './fields';
import { meetingOfCardInThread, type MeetingInThread } from './meetingAccess';

type Plan = Meeting['plan'];

function asRecord(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

/** The meeting a plan card names, in one of its threads; a cancelled meeting's plan no longer changes. */
async function meetingOfPlanCard(turn: Turn, deps: BotDeps, data: Record<string, unknown>): Promise<MeetingInThread | string> {
  const where = await meetingOfCardInThread(turn, deps, data.meetingId);
  if (typeof where !== 'string' && where.meeting.value.state === 'cancelled') return sv.commitment.meetingCancelled;
  return where;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** What the settings part of the plan card sends; a party is checked against the meeting's afterwards. */
const settingsSchema = z.object({
  coordinator: z.string().default(''),
  coordinatorName: guarded(100).default(''),
  planOwner: z.string().default(''),
  planOwnerName: guarded(100).default(''),
  sip: toggle.default(false),
  followUpDate: dateOrEmpty.default(''),
  followUpConvener: z.string().default(''),
  placed: toggle.default(false),
  placementDecidedOn: dateOrEmpty.default(''),
  placementAcute: toggle.default(false),
  healthExaminationBy: dateOrEmpty.default(''),
});

/** The plan settings as stored, or the message saying what is wrong. */
function planSettings(meeting: Meeting, raw: Record<string, unknown>): Partial<Plan> | string {
  const parsed = settingsSchema.safeParse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'boolean' ? v : text(v)])));
  if (!parsed.success) {
    const codes = parsed.error.issues.map((i) => i.message);
    return codes.includes('personnummer') ? sv.commitment.personnummer : codes.includes('date') ? sv.commitment.invalidDate : sv.plan.invalidSettings;
  }
  const s = parsed.data;
  const parties = partiesOf(meeting);
  const pick = (value: string): SummonableParty | undefined => parties.find((p) => p === value);
  // A party outside the meeting is stale or forged: refused, never silently dropped.
  for (const value of [s.coordinator, s.planOwner, s.followUpConvener]) if (value && !pick(value)) return sv.plan.notAParty;
  const coordinator = pick(s.coordinator);
  const planOwner = pick(s.planOwner);
  const refusal = checkPlanRoles({
    coordinator: coordinator ? { party: coordinator, name: s.coordinatorName } : undefined,
    planOwner: planOwner ? { party: planOwner, name: s.planOwnerName } : undefined,
  });
  if (refusal === 'planOwnerNotCare') return sv.plan.planOwnerNotCare;
  if (refusal === 'planOwnerRequired') return sv.plan.planOwnerRequired(sv.party[coordinator!].toLowerCase());
  const stored = meeting.plan.placement;
  const placement = s.placed
    ? {
        acute: s.placementAcute,
        decidedOn: s.placementDecidedOn || undefined,
        healthExaminationBy: s.healthExaminationBy || undefined,
        // What the parties have marked done stays done.
        healthExaminationDoneOn: stored?.healthExaminationDoneOn,
        costSharingSettledOn: stored?.costSharingSettledOn,
      }
    : undefined;
  if (placement?.acute && !placement.decidedOn) return sv.plan.acuteNeedsDecision;
  return {
    coordinator,
    coordinatorName: coordinator ? s.coordinatorName || undefined : undefined,
    planOwner,
    planOwnerName: planOwner ? s.planOwnerName || undefined : undefined,
    sip: s.sip,
    followUpDate: s.followUpDate || undefined,
    followUpConvener: pick(s.followUpConvener),
    placement,
  };
}

/**
 * "Samordnare, planansvarig och uppföljning" (convener): the samordnare and planansvarig (party and
 * professional), whether the plan is a SIP, the follow-up meeting, and a placement outside the home.
 */
export async function setPlan(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  const where = await meetingOfPlanCard(turn, deps, raw);
  if (typeof where === 'string') return where;
  if (where.role !== 'convener') return sv.commitment.onlyConvener;
  const meeting = where.meeting.value;
  const settings = planSettings(meeting, raw);
  if (typeof settings === 'string') return planCard(meeting, await deps.store.commitments.forMeeting(meeting.id), { thread: where.role }, settings);
  const at = deps.clock();
  const details = {
    coordinator: settings.coordinator ?? '',
    planOwner: settings.planOwner ?? '',
    sip: String(settings.sip),
    followUpDate: settings.followUpDate ?? '',
    followUpConvener: settings.followUpConvener ?? '',
    placement: settings.placement ? (settings.placement.acute ? 'acute' : 'planned') : '',
  };
  const { stored } = await changeMeeting(
    deps.store,
    meeting.id,
    at,
    (m) => ({
      // What the card does not set (the parties without an intervention) stays as it is.
      meeting: withPlanRefresh({ ...m, plan: { ...m.plan, ...settings } }),
      effects: [
        auditEffect({ at: at.toISOString(), actor: turn.actor.id, action: 'planUpdated', entity: 'Commitment', key: m.id, details: { ...details, actorAad: turn.actor.person.aadObjectId ?? '' } }),
        effect({ reminders: m.id }),
      ],
      result: undefined,
    }),
    settleMeeting,
  );
  return planCard(stored?.value ?? meeting, await deps.store.commitments.forMeeting(meeting.id), { thread: where.role });
}

/** "Hälsoundersökningen är genomförd" / "Kostnadsfördelningen är klarlagd": recorded once, today, by the party responsible. */
export async function markPlacementStep(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = asRecord(data);
  const where = await meetingOfPlanCard(turn, deps, raw);
  if (typeof where === 'string') return where;
  const step = z.enum(['healthExamination', 'costSharing']).safeParse(raw.step);
  const meeting = where.meeting.value;
  if (!step.success || !meeting.plan.placement) return sv.plan.noPlacement;
  const party = where.role === 'convener' ? meeting.intake.convener : where.role;
  if (party !== placementStepParty(partiesOf(meeting), meeting.intake.convener, step.data)) return sv.plan.placementStepNotYours(sv.party[placementStepParty(partiesOf(meeting), meeting.intake.convener, step.data)]);
  const at = deps.clock();
  const today = dateInStockholm(at);
  const field = step.data === 'healthExamination' ? 'healthExaminationDoneOn' : 'costSharingSettledOn';
  const { stored } = await changeMeeting(
    deps.store,
    meeting.id,
    at,
    (m) => {
      const placement = m.plan.placement;
      // Marked already (a second click, a retry): nothing changes.
      if (!placement || placement[field]) return { result: undefined };
      return {
        meeting: withPlanRefresh({ ...m, plan: { ...m.plan, placement: { ...placement, [field]: today } } }),
        effects: [
          auditEffect({ at: at.toISOString(), actor: turn.actor.id, action: 'placementStep', entity: 'Meeting', key: m.id, details: { step: step.data, party, actorAad: turn.actor.person.aadObjectId ?? '' } }),
          effect({ reminders: m.id }),
        ],
        result: undefined,
      };
    },
    settleMeeting,
  );
  return planCard(stored?.value ?? meeting, await deps.store.commitments.forMeeting(meeting.id), { thread: where.role });
}

