import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { deviationCard, deviationFormCard, type DeviationFormValues } from '../../cards/deviationCards';
import type { AdaptiveCardJson } from '../../cards/render';
import { dateInStockholm, ZONE } from '../../domain/calendar';
import { formatDate } from '../../texts/format';
import { SUMMONABLE_PARTIES } from '../../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import { DEVIATION_SIDES, type Deviation, type DeviationSide } from '../../store/deviationRepository';
import type { IntakeChannel } from '../../store/intakeChannelRepository';
import { sv } from '../../texts/sv';
import { memberHere, partyIn } from '../authority';
import { commitRecord } from '../../scheduler/effects';
import { auditEffect } from '../../store/effects';
import type { BotDeps } from '../deps';
import type { Turn } from '../turn';

const text = (max: number) => z.string().trim().max(max).refine((v) => !containsPersonalIdentityNumber(v), 'personnummer');
const formSchema = z.object({
  municipality: z.enum(MUNICIPALITIES),
  caseReference: text(20).default(''),
  party: z.enum(SUMMONABLE_PARTIES),
  kind: z.enum(['summonsNotAnswered', 'didNotTakePart', 'meetingNotInTime', 'commitmentNotDone', 'followUpNotConvened', 'summonsNotSent', 'other']),
  whatHappened: text(1000).pipe(z.string().min(1)),
  consequence: text(1000).default(''),
  suggestedAction: text(1000).default(''),
});

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function formValues(raw: Record<string, unknown>): Partial<DeviationFormValues> {
  const pick = (key: keyof DeviationFormValues) => (typeof raw[key] === 'string' ? (raw[key] as string).slice(0, 1000) : '');
  const values = { municipality: pick('municipality'), caseReference: pick('caseReference'), party: pick('party'), kind: pick('kind'), whatHappened: pick('whatHappened'), consequence: pick('consequence'), suggestedAction: pick('suggestedAction') };
  // A refused personnummer is not sent back either.
  for (const key of Object.keys(values) as (keyof DeviationFormValues)[]) if (containsPersonalIdentityNumber(values[key])) values[key] = '';
  return values;
}

/** `norrbus avvikelse`: the report form, preset with this channel's municipality. */
export async function startDeviation(turn: Turn, deps: BotDeps): Promise<void> {
  const channelId = turn.place.channelId;
  const registration = channelId ? (await deps.store.intakeChannels.findByChannel(channelId))[0] : undefined;
  await turn.sendCard(deviationFormCard({ municipality: registration?.municipality }));
}

/** The facts of a draft, prefilled in the form. */
export function draftForm(draft: Deviation): AdaptiveCardJson {
  const late = draft.daysLate > 0 ? sv.reminder.daysLate(draft.daysLate) : '';
  const whatHappened = sv.deviation.draftWhatHappened(sv.deviation.kind[draft.kind], formatDate(draft.deadline), late);
  return deviationFormCard({ municipality: draft.municipality, caseReference: draft.caseReference ?? '', party: draft.party ?? '', kind: draft.kind, whatHappened }, draft.id);
}

/** The channel each posted side goes to: the forum of the report's area, the deviating party's, the länsdel's samverkansgrupp. */
async function channelOf(deps: BotDeps, deviation: Deviation, side: 'forum' | 'party' | 'lansdel'): Promise<IntakeChannel | undefined> {
  if (side === 'forum') return deps.store.intakeChannels.forumFor(deviation.municipality, deviation.forumArea);
  if (side === 'lansdel') return (await deps.store.intakeChannels.getLansdel(deps.config.county.lansdelOf(deviation.municipality).id))?.value;
  return (await deps.store.intakeChannels.get(deviation.municipality, deviation.party!))?.value;
}

async function postTo(deps: BotDeps, deviation: Deviation, side: 'forum' | 'party' | 'lansdel'): Promise<Deviation['posts']['forum']> {
  const channel = await channelOf(deps, deviation, side);
  if (!channel) return undefined;
  const { threadId, activityId } = await deps.connector.startThread(channel, cardFor(deps, deviation, side));
  return { threadId, activityId, conversationReference: channel.conversationReference };
}

function cardFor(deps: BotDeps, deviation: Deviation, side: DeviationSide, error = '', note = '', resend = false): AdaptiveCardJson {
  return deviationCard(deviation, side, error, note, deps.config.county.lansdelOf(deviation.municipality).name, resend);
}

/**
 * The forum area of a report: that of its case (the convening party's registration names it),
 * when the report names a case in the municipality; else that of the reporter's channel.
 */
async function forumAreaOf(deps: BotDeps, municipality: Municipality, meetingId: string | undefined, caseReference: string | undefined, reporter: IntakeChannel): Promise<string | undefined> {
  let id = meetingId;
  if (!id && caseReference) id = (await deps.store.caseReferences.find(municipality, caseReference))?.value.meetingId;
  const meeting = id ? (await deps.store.meetings.get(id))?.value : undefined;
  if (meeting && meeting.intake.municipality === municipality) return deps.store.intakeChannels.caseForumArea(municipality, meeting.intake.convener);
  return reporter.municipality === municipality ? reporter.forumArea : undefined;
}

/** "Skicka avvikelserapport": stored with a reference number, posted to the forum and to the deviating party. */
export async function submitDeviation(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const parsed = formSchema.safeParse(raw);
  const draftId = typeof raw.draftId === 'string' && /^d[0-9a-f]{12}$/.test(raw.draftId) ? raw.draftId : '';
  if (!parsed.success) {
    const personnummer = parsed.error.issues.some((i) => i.message === 'personnummer');
    return deviationFormCard(formValues(raw), draftId, personnummer ? sv.deviation.personnummer : sv.deviation.required);
  }
  const form = parsed.data;
  const reporter = await partyIn(turn, deps, form.municipality);
  if (!reporter.ok) return deviationFormCard(formValues(raw), draftId, reporter.message);
  const now = deps.clock();
  const id = draftId || `d${createHash('sha256').update(`${turn.place.conversationId}|${turn.cardActivityId ?? ''}`).digest('hex').slice(0, 12)}`;
  const existing = await deps.store.deviations.get(form.municipality, id);
  // Already reported: a second click posts what could not be posted the first time, nothing more.
  if (existing && existing.value.status !== 'draft') return deliver(turn, deps, existing.value);

  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId };
  const reportedBy = { ...by, name: turn.actor.person.name, party: reporter.channel.party };
  const reference = await deps.store.deviations.nextReference(form.municipality, now.getFullYear());
  const reported: Deviation = {
    ...(existing?.value ?? { id, municipality: form.municipality, createdAt: now.toISOString(), createdBy: by, deadline: dateInStockholm(now), daysLate: 0, posts: {} }),
    municipality: form.municipality,
    caseReference: form.caseReference || existing?.value.caseReference,
    party: form.party,
    kind: form.kind,
    whatHappened: form.whatHappened,
    consequence: form.consequence || undefined,
    suggestedAction: form.suggestedAction || undefined,
    status: 'new',
    reference,
    reportedAt: now.toISOString(),
    reportedBy,
    analysisDue: DateTime.fromJSDate(now, { zone: ZONE }).plus({ days: deps.config.deviationAnalysisDays }).toISODate()!,
    forumArea: await forumAreaOf(deps, form.municipality, existing?.value.meetingId, form.caseReference || existing?.value.caseReference, reporter.channel),
  };
  reported.effects = [
    ...(existing?.value.effects ?? []),
    auditEffect({ at: now.toISOString(), actor: by.id, action: 'deviationReported', entity: 'Deviation', key: id, details: { reference, kind: form.kind, party: form.party, reporterParty: reporter.channel.party } }),
  ];
  await commitRecord(deps.store, { entity: 'Deviation', partitionKey: form.municipality, rowKey: id }, now, () => deps.store.deviations.put(reported));

  return deliver(turn, deps, reported);
}

/**
 * Posts the report to the forum and the deviating party where it is not posted yet. A Teams service
 * that does not answer leaves that side for another click ("försök igen"); the report is kept.
 */
async function deliver(turn: Turn, deps: BotDeps, deviation: Deviation): Promise<AdaptiveCardJson> {
  let unreachable = false;
  const post = async (side: 'forum' | 'party' | 'lansdel') => {
    if (deviation.posts[side]) return deviation.posts[side];
    try {
      return await postTo(deps, deviation, side);
    } catch (error) {
      unreachable = true;
      deps.log.warn({ err: { name: (error as Error).name }, side }, 'deviation report not posted; kept for another try');
      return undefined;
    }
  };
  const posts = { forum: await post('forum'), party: await post('party'), lansdel: await post('lansdel') };
  // The form the report was sent from becomes the reporter's own copy: it follows the analysis and
  // carries "Rapportera till Samverkansstruktur" (the party that noted the deviation reports on it).
  const reporter =
    deviation.posts.reporter ??
    (turn.cardActivityId
      ? {
          threadId: turn.place.conversationId,
          activityId: turn.cardActivityId,
          conversationReference: { ...turn.reference, conversation: { ...turn.reference.conversation, id: turn.place.conversationId } },
        }
      : undefined);
  const stored = await deps.store.deviations.change(deviation.municipality, deviation.id, (d) => ({
    ...d,
    posts: { forum: d.posts.forum ?? posts.forum, party: d.posts.party ?? posts.party, lansdel: d.posts.lansdel ?? posts.lansdel, reporter: d.posts.reporter ?? reporter },
  }));
  deps.log.info({ municipality: deviation.municipality, kind: deviation.kind, forum: Boolean(posts.forum), party: Boolean(posts.party), lansdel: Boolean(posts.lansdel) }, 'deviation reported');
  const party = deviation.party!;
  const lansdel = deps.config.county.lansdelOf(deviation.municipality).name;
  const notes = unreachable
    ? [sv.deviation.notReached]
    : [
        sv.deviation.registeredDetail(Boolean(posts.forum)),
        posts.forum ? '' : sv.deviation.noForum(deviation.municipality),
        posts.party ? '' : sv.deviation.noPartyChannel(sv.party[party]),
        posts.lansdel ? sv.deviation.sentToLansdel(lansdel) : sv.deviation.noLansdel(lansdel),
      ].filter(Boolean);
  const note = `${sv.deviation.registered(deviation.reference ?? '')} ${notes.join(' ')}`;
  return cardFor(deps, stored?.value ?? deviation, 'reporter', unreachable ? note : '', unreachable ? '' : note, unreachable);
}

const ONLY: Record<'forum' | 'party' | 'reporter', string> = { forum: sv.deviation.onlyForum, party: sv.deviation.onlyParty, reporter: sv.deviation.onlyReporter };

/** The report named in card data, acted on only from the thread where that side's copy was posted. */
async function reportInThread(turn: Turn, deps: BotDeps, raw: Record<string, unknown>, side: 'forum' | 'party' | 'reporter') {
  const municipality = MUNICIPALITIES.find((m) => m === raw.municipality) as Municipality | undefined;
  const found = municipality && typeof raw.id === 'string' ? await deps.store.deviations.get(municipality, raw.id) : undefined;
  if (!found) return sv.deviation.unknown;
  if (found.value.posts[side]?.threadId !== turn.place.conversationId) return ONLY[side];
  // The reporter's copy in a personal chat is that person's; in a channel, any member of the organisation there.
  if (side === 'reporter' && turn.place.conversationType === 'personal') return found.value.reportedBy?.id === turn.actor.id ? found.value : ONLY.reporter;
  return (await memberHere(turn)) ? found.value : sv.authority.guest;
}

/** Every copy shows the new state: the one clicked through the invoke answer, the others updated in place. */
async function updated(deps: BotDeps, deviation: Deviation, side: DeviationSide): Promise<AdaptiveCardJson> {
  for (const other of DEVIATION_SIDES) {
    const post = deviation.posts[other];
    if (other === side || !post) continue;
    const reference = { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } };
    await deps.connector.updateCard(reference, post.activityId, cardFor(deps, deviation, other)).catch((error: Error) => {
      deps.log.warn({ err: { name: error.name }, side: other }, 'deviation card not updated');
    });
  }
  return cardFor(deps, deviation, side);
}

/** A step of the analysis, written with its audit row; none when it changes nothing (a second click). */
function analysisStep(turn: Turn, deps: BotDeps, found: Deviation, action: string, apply: (d: Deviation) => Deviation | undefined) {
  return commitRecord(deps.store, { entity: 'Deviation', partitionKey: found.municipality, rowKey: found.id }, deps.clock(), () =>
    deps.store.deviations.change(found.municipality, found.id, (d) => {
      const next = apply(d);
      if (!next) return undefined;
      const audit = auditEffect({ at: deps.clock().toISOString(), actor: turn.actor.id, action, entity: 'Deviation', key: d.id, details: { reference: next.reference ?? '', status: next.status } });
      return { ...next, effects: [...(d.effects ?? []), audit] };
    }),
  );
}

/** "Vi analyserar" (the deviating party): under analys. */
export async function startAnalysis(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const found = await reportInThread(turn, deps, record(data), 'party');
  if (typeof found === 'string') return found;
  const changed = await analysisStep(turn, deps, found, 'deviationAnalysing', (d) => (d.status === 'new' ? { ...d, status: 'analysing' } : undefined));
  return updated(deps, changed!.value, 'party');
}

/** "Analys" → "Klar" (the deviating party): what caused it and what is done; analyserad. */
export async function analyseDeviation(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const found = await reportInThread(turn, deps, raw, 'party');
  if (typeof found === 'string') return found;
  const analysis = z.object({ cause: text(1000).pipe(z.string().min(1)), measures: text(1000).pipe(z.string().min(1)) }).safeParse(raw);
  if (!analysis.success) {
    const personnummer = analysis.error.issues.some((i) => i.message === 'personnummer');
    return cardFor(deps, found, 'party', personnummer ? sv.deviation.personnummer : sv.deviation.required);
  }
  const at = deps.clock().toISOString();
  const changed = await analysisStep(turn, deps, found, 'deviationAnalysed', (d) =>
    d.status === 'new' || d.status === 'analysing' ? { ...d, status: 'analysed', analysis: { ...analysis.data, at, by: { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId } } } : undefined,
  );
  return updated(deps, changed!.value, 'party');
}

/** "Avsluta" (the forum), once analysed. */
export async function closeDeviation(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const found = await reportInThread(turn, deps, record(data), 'forum');
  if (typeof found === 'string') return found;
  if (found.status !== 'analysed' && found.status !== 'closed') return cardFor(deps, found, 'forum', sv.deviation.notAnalysed);
  const at = deps.clock().toISOString();
  const changed = await analysisStep(turn, deps, found, 'deviationClosed', (d) =>
    d.status === 'analysed' ? { ...d, status: 'closed', closed: { at, by: { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId } } } : undefined,
  );
  return updated(deps, changed!.value, 'forum');
}

/**
 * "Rapportera till Samverkansstruktur" (the party that noted the deviation, on its own copy): once
 * the deviation is analysed, the report to Samverkansstruktur målgrupp barn och unga is recorded
 * (audited; the status on every copy) and its text shown on the card to send on: the deviation,
 * the analysis and the decisions, by case reference, roles and dates only. It can be made again
 * later (after the forum's closing, say): each report is kept.
 */
export async function reportDeviationToCounty(turn: Turn, deps: BotDeps, data: unknown): Promise<AdaptiveCardJson | string> {
  const raw = record(data);
  const found = await reportInThread(turn, deps, raw, 'reporter');
  if (typeof found === 'string') return found;
  if (found.status !== 'analysed' && found.status !== 'closed') return cardFor(deps, found, 'reporter', sv.deviation.countyNotAnalysed);
  const parsed = z.object({ decisions: text(1000).default('') }).safeParse({ decisions: typeof raw.decisions === 'string' ? raw.decisions : '' });
  if (!parsed.success) return cardFor(deps, found, 'reporter', sv.deviation.personnummer);
  const decisions = parsed.data.decisions || undefined;
  const status = found.status;
  const at = deps.clock().toISOString();
  const by = { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId, party: found.reportedBy?.party };
  const changed = await analysisStep(turn, deps, found, 'deviationReportedToCounty', (d) => {
    if (d.status !== 'analysed' && d.status !== 'closed') return undefined;
    const last = d.countyReports?.at(-1);
    // The same report twice (a double click) is recorded once.
    if (last && last.status === d.status && (last.decisions ?? '') === (decisions ?? '')) return undefined;
    return { ...d, countyReports: [...(d.countyReports ?? []), { at, by, status, decisions }] };
  });
  return updated(deps, changed!.value, 'reporter');
}
