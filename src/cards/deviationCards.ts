import { MUNICIPALITIES } from '../domain/municipality';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import type { Deviation } from '../store/deviationRepository';
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
  side: 'forum' | 'party';
  status: Deviation['status'];
  municipality: string;
  id: string;
  noIdentifyingText: string;
}

/** The report as the forum and the deviating party see it, with the actions of their side. */
export function deviationCard(deviation: Deviation, side: 'forum' | 'party', error = ''): AdaptiveCardJson {
  const facts = [
    { title: sv.deviation.facts.kind, value: sv.deviation.kind[deviation.kind] },
    ...(deviation.party ? [{ title: sv.deviation.facts.party, value: sv.party[deviation.party] }] : []),
    ...(deviation.caseReference ? [{ title: sv.deviation.facts.caseReference, value: deviation.caseReference }] : []),
    { title: sv.deviation.whatHappened, value: deviation.whatHappened ?? '' },
    ...(deviation.consequence ? [{ title: sv.deviation.consequence, value: deviation.consequence }] : []),
    ...(deviation.suggestedAction ? [{ title: sv.deviation.suggestedAction, value: deviation.suggestedAction }] : []),
    ...(deviation.reportedBy ? [{ title: sv.deviation.reportedBy, value: [deviation.reportedBy.name, deviation.reportedBy.party ? sv.party[deviation.reportedBy.party] : ''].filter(Boolean).join(', ') }] : []),
    { title: sv.deviation.statusLabel, value: sv.deviation.status[deviation.status] },
    ...(deviation.analysisDue ? [{ title: sv.deviation.analysisDue, value: formatDate(deviation.analysisDue) }] : []),
  ];
  return renderCard<DeviationCardData>('deviation', {
    t: sv.deviation,
    title: sv.deviation.reportTitle(deviation.reference ?? ''),
    facts,
    analysis: deviation.analysis ? sv.deviation.analysisText(deviation.analysis.cause, deviation.analysis.measures) : '',
    error,
    side,
    status: deviation.status,
    municipality: deviation.municipality,
    id: deviation.id,
    noIdentifyingText: sv.noIdentifyingText,
  });
}
