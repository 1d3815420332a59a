import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { deviationCard, deviationFormCard, type DeviationFormValues } from '../../cards/deviationCards';
import { noticeCard } from '../../cards/noticeCard';
import type { AdaptiveCardJson } from '../../cards/render';
import { dateInStockholm, ZONE } from '../../domain/calendar';
import { formatDate } from '../../texts/format';
import { SUMMONABLE_PARTIES } from '../../domain/meeting';
import { MUNICIPALITIES, type Municipality } from '../../domain/municipality';
import { containsPersonalIdentityNumber } from '../../domain/privacy';
import type { Deviation } from '../../store/deviationRepository';
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

async function postTo(deps: BotDeps, deviation: Deviation, side: 'forum' | 'party'): Promise<Deviation['posts']['forum']> {
  const channel = await deps.store.intakeChannels.get(deviation.municipality, side === 'forum' ? 'forum' : deviation.party!);
  if (!channel) return undefined;
  const { threadId, activityId } = await deps.connector.startThread(channel.value, deviationCard(deviation, side));
  return { threadId, activityId, conversationReference: channel.value.conversationReference };
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
  if (existing && existing.value.status !== 'draft') return deliver(deps, existing.value);

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
  };
  reported.effects = [
    ...(existing?.value.effects ?? []),
    auditEffect({ at: now.toISOString(), actor: by.id, action: 'deviationReported', entity: 'Deviation', key: id, details: { reference, kind: form.kind, party: form.party, reporterParty: reporter.channel.party } }),
  ];
  await commitRecord(deps.store, { entity: 'Deviation', partitionKey: form.municipality, rowKey: id }, now, () => deps.store.deviations.put(reported));

  return deliver(deps, reported);
}

/**
 * Posts the report to the forum and the deviating party where it is not posted yet. A Teams service
 * that does not answer leaves that side for another click ("försök igen"); the report is kept.
 */
async function deliver(deps: BotDeps, deviation: Deviation): Promise<AdaptiveCardJson> {
  let unreachable = false;
  const post = async (side: 'forum' | 'party') => {
    if (deviation.posts[side]) return deviation.posts[side];
    try {
      return await postTo(deps, deviation, side);
    } catch (error) {
      unreachable = true;
      deps.log.warn({ err: { name: (error as Error).name }, side }, 'deviation report not posted; kept for another try');
      return undefined;
    }
  };
  const posts = { forum: await post('forum'), party: await post('party') };
  await deps.store.deviations.change(deviation.municipality, deviation.id, (d) => ({ ...d, posts: { forum: d.posts.forum ?? posts.forum, party: d.posts.party ?? posts.party } }));
  deps.log.info({ municipality: deviation.municipality, kind: deviation.kind, forum: Boolean(posts.forum), party: Boolean(posts.party) }, 'deviation reported');
  const party = deviation.party!;
  const notes = unreachable
    ? [sv.deviation.notReached]
    : [
        sv.deviation.registeredDetail(Boolean(posts.forum)),
        posts.forum ? '' : sv.deviation.noForum(deviation.municipality),
        posts.party ? '' : sv.deviation.noPartyChannel(sv.party[party]),
      ].filter(Boolean);
  return noticeCard(sv.deviation.registered(deviation.reference ?? ''), notes.join(' '), unreachable ? 'attention' : 'good');
}

/** The report named in card data, acted on only from the thread where that side's copy was posted. */
async function reportInThread(turn: Turn, deps: BotDeps, raw: Record<string, unknown>, side: 'forum' | 'party') {
  const municipality = MUNICIPALITIES.find((m) => m === raw.municipality) as Municipality | undefined;
  const found = municipality && typeof raw.id === 'string' ? await deps.store.deviations.get(municipality, raw.id) : undefined;
  if (!found) return sv.deviation.unknown;
  if (found.value.posts[side]?.threadId !== turn.place.conversationId) return side === 'forum' ? sv.deviation.onlyForum : sv.deviation.onlyParty;
  return (await memberHere(turn)) ? found.value : sv.authority.guest;
}

/** Both copies show the new state: the one clicked through the invoke answer, the other updated in place. */
async function updated(deps: BotDeps, deviation: Deviation, side: 'forum' | 'party'): Promise<AdaptiveCardJson> {
  const other = side === 'forum' ? 'party' : 'forum';
  const post = deviation.posts[other];
  if (post) {
    const reference = { ...post.conversationReference, conversation: { ...post.conversationReference.conversation, id: post.threadId } };
    await deps.connector.updateCard(reference, post.activityId, deviationCard(deviation, other)).catch((error: Error) => {
      deps.log.warn({ err: { name: error.name }, side: other }, 'deviation card not updated');
    });
  }
  return deviationCard(deviation, side);
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
    return deviationCard(found, 'party', personnummer ? sv.deviation.personnummer : sv.deviation.required);
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
  if (found.status !== 'analysed' && found.status !== 'closed') return deviationCard(found, 'forum', sv.deviation.notAnalysed);
  const at = deps.clock().toISOString();
  const changed = await analysisStep(turn, deps, found, 'deviationClosed', (d) =>
    d.status === 'analysed' ? { ...d, status: 'closed', closed: { at, by: { id: turn.actor.id, aadObjectId: turn.actor.person.aadObjectId } } } : undefined,
  );
  return updated(deps, changed!.value, 'forum');
}
