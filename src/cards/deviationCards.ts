import { MUNICIPALITIES } from '../domain/municipality';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import { dateInStockholm } from '../domain/calendar';
import type { Party } from '../domain/party';
import type { Deviation, DeviationSide } from '../store/deviationRepository';
import { formatDate } from '../texts/format';
import { sv } from '../texts/sv';
import { partyChoices, type Choice } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';


export interface DeviationFormValues {
  municipality: string;
  caseReference: string;
  party: string;
  kind: string;
  whatHappened: string;
  consequence: string;
  suggestedAction: string;
}

export interface DeviationFormCardData {
  t: typeof sv.deviation;
  title: string;
  error: string;
  draftId: string;
  noIdentifyingText: string;
  municipalities: readonly string[];
  parties: Choice[];
  kinds: Choice[];
  v: DeviationFormValues;
}

/** The deviation report form (avvikelserapport), empty or prefilled from a prompt's draft. */
export function deviationFormCard(values: Partial<DeviationFormValues>, draftId = '', error = ''): AdaptiveCardJson {
  return renderCard<DeviationFormCardData>('deviation-form', {
    t: sv.deviation,
    title: draftId ? sv.deviation.draftSaved : sv.deviation.formTitle,
    error,
    draftId,
    noIdentifyingText: sv.noIdentifyingText,
    municipalities: MUNICIPALITIES,
    parties: partyChoices(SUMMONABLE_PARTIES),
    kinds: (Object.keys(sv.deviation.kind) as (keyof typeof sv.deviation.kind)[]).map((value) => ({ title: sv.deviation.kind[value], value })),
    v: {
      municipality: values.municipality ?? '',
      caseReference: values.caseReference ?? '',
      party: values.party ?? '',
      kind: values.kind ?? '',
      whatHappened: values.whatHappened ?? '',
      consequence: values.consequence ?? '',
      suggestedAction: values.suggestedAction ?? '',
    },
  });
}

export interface DeviationCardData {
  t: typeof sv.deviation;
  title: string;
  facts: { title: string; value: string }[];
  analysis: string;
  error: string;
  note: string;
  /** On the reporter's copy, after "Rapportera till Samverkansstruktur": the report to send on. */
  countyReport: string;
  /** On the reporter's copy when a channel could not be reached: "Skicka avvikelserapport" again, with the report's own fields. */
  resend: { party: string; kind: string; whatHappened: string; caseReference: string } | false;
  side: DeviationSide;
  status: Deviation['status'];
  municipality: string;
  id: string;
  noIdentifyingText: string;
}

function day(instant: string): string {
  return formatDate(dateInStockholm(new Date(instant)));
}

function partyName(party: Party | undefined): string {
  return party ? sv.party[party] : '–';
}

/**
 * The report to Samverkansstruktur målgrupp barn och unga (2025, Avvikelsehantering): the
 * deviation, the analysis made and the decisions taken, by the party that noted it. Case
 * reference, roles and dates only: never the name of the reporter or anyone else.
 */
export function countyReportText(deviation: Deviation, lansdel: string): string {
  const c = sv.deviation.county;
  const report = deviation.countyReports?.at(-1);
  const lines = [
    c.heading(deviation.reference ?? '', deviation.municipality, lansdel),
    c.reportedBy(partyName(deviation.reportedBy?.party), deviation.reportedAt ? day(deviation.reportedAt) : '–'),
    `${sv.deviation.facts.kind}: ${sv.deviation.kind[deviation.kind]}`,
    `${sv.deviation.party}: ${partyName(deviation.party)}`,
    ...(deviation.caseReference ? [`${sv.deviation.facts.caseReference}: ${deviation.caseReference}`] : []),
    `${sv.deviation.whatHappened} ${deviation.whatHappened ?? ''}`,
    ...(deviation.consequence ? [`${sv.deviation.consequence}: ${deviation.consequence}`] : []),
    ...(deviation.analysis ? [c.analysis(day(deviation.analysis.at), partyName(deviation.party), deviation.analysis.cause, deviation.analysis.measures)] : []),
    ...(deviation.closed ? [c.closed(day(deviation.closed.at))] : []),
    c.decisions(report?.decisions ?? ''),
    `${sv.deviation.statusLabel}: ${sv.deviation.status[deviation.status]}`,
  ];
  return lines.join('\n');
}

/**
 * The report as each side sees it: the forum (closes it), the deviating party (analyses it), the
 * länsdel's samverkansgrupp (informed, no actions) and the reporter (reports it on to
 * Samverkansstruktur målgrupp barn och unga once analysed).
 */
export function deviationCard(deviation: Deviation, side: DeviationSide, error = '', note = '', lansdel = '', resend = false): AdaptiveCardJson {
  const lastCounty = deviation.countyReports?.at(-1);
  const facts = [
    { title: sv.deviation.facts.kind, value: sv.deviation.kind[deviation.kind] },
    ...(deviation.party ? [{ title: sv.deviation.facts.party, value: sv.party[deviation.party] }] : []),
    ...(deviation.caseReference ? [{ title: sv.deviation.facts.caseReference, value: deviation.caseReference }] : []),
    { title: sv.deviation.whatHappened, value: deviation.whatHappened ?? '' },
    ...(deviation.consequence ? [{ title: sv.deviation.consequence, value: deviation.consequence }] : []),
    ...(deviation.suggestedAction ? [{ title: sv.deviation.suggestedAction, value: deviation.suggestedAction }] : []),
    ...(deviation.reportedBy ? [{ title: sv.deviation.reportedBy, value: [deviation.reportedBy.name, deviation.reportedBy.party ? sv.party[deviation.reportedBy.party] : ''].filter(Boolean).join(', ') }] : []),
    ...(deviation.forumArea ? [{ title: sv.deviation.facts.forumArea, value: deviation.forumArea }] : []),
    { title: sv.deviation.statusLabel, value: sv.deviation.status[deviation.status] },
    ...(deviation.analysisDue ? [{ title: sv.deviation.analysisDue, value: formatDate(deviation.analysisDue) }] : []),
    ...(lastCounty ? [{ title: sv.deviation.facts.county, value: sv.deviation.countyReported(day(lastCounty.at), deviation.countyReports!.length) }] : []),
  ];
  return renderCard<DeviationCardData>('deviation', {
    t: sv.deviation,
    title: sv.deviation.reportTitle(deviation.reference ?? ''),
    facts,
    analysis: deviation.analysis ? sv.deviation.analysisText(deviation.analysis.cause, deviation.analysis.measures) : '',
    error,
    note: side === 'lansdel' && !note ? sv.deviation.lansdelNote(lansdel) : note,
    countyReport: side === 'reporter' && lastCounty ? countyReportText(deviation, lansdel) : '',
    resend:
      side === 'reporter' && resend
        ? { party: deviation.party ?? '', kind: deviation.kind, whatHappened: deviation.whatHappened ?? '', caseReference: deviation.caseReference ?? '' }
        : false,
    side,
    status: deviation.status,
    municipality: deviation.municipality,
    id: deviation.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
}
