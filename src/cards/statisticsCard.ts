import { COUNTY, DEVIATION_KINDS, suppress, type Figures, type Shown } from '../domain/indicators';
import { SUMMONABLE_PARTIES } from '../domain/meeting';
import type { Municipality } from '../domain/municipality';
import { indicatorLabel } from '../stats';
import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

/** What the statistics card shows: every value already suppressed and formatted as text. */
export interface StatisticsCardData {
  title: string;
  asOf: string;
  /** No meetings with consent in the year: the card says so instead of a page of zeros. */
  empty: boolean;
  emptyText: string;
  sections: { heading: string; facts: { title: string; value: string }[] }[];
  suppression: string;
  hint: string;
}

const t = sv.stats;

function isShare(id: string): boolean {
  return /\.(within5|within10|rate|doneOnTime|allThreeParties|analysedInTime)$/.test(id);
}

/**
 * A suppressed figure as text: "–" when hidden (fewer than 5 cases: "<5" beside a median of days
 * read as "under 5 days"), "inget underlag" when there is nothing to compute from, "85 %" or "3,5".
 */
export function shownValue(id: string, value: Shown): string {
  if (value === null) return t.card.noBasis;
  if (value === '<5') return '–';
  if (isShare(id)) return t.card.percent(Math.round(value * 100));
  return String(value).replace('.', ',');
}

/**
 * The key indicators of one year and scope (a municipality or the county), for Teams: meetings,
 * time in working days, answers per party, commitments and deviations by kind. Every figure goes
 * through `suppress`, so counts 1–4 and shares and medians from fewer than 5 records read "–".
 */
/** `scope`: a municipality, a länsdel by its name, or the county. */
export function statisticsCard(year: number, asOf: string, scope: Municipality | typeof COUNTY | string, figures: Figures): AdaptiveCardJson {
  const fact = (id: string) => ({ title: indicatorLabel(id), value: shownValue(id, figures[id] ? suppress(figures[id]) : null) });
  const scopeName = scope === COUNTY ? t.county : scope;
  const initiated = figures['meetings.initiated']?.kind === 'count' ? figures['meetings.initiated'].value : 0;
  const deviationsTotal = figures['deviations.total']?.kind === 'count' ? figures['deviations.total'].value : 0;

  const kinds = Object.keys(figures).filter((id) => id.startsWith('deviations.kind.') && (figures[id].kind !== 'count' || figures[id].value !== 0));
  kinds.sort((a, b) => rank(a) - rank(b));
  const deviations = { heading: t.sections.deviations, facts: [fact('deviations.total'), ...kinds.map(fact)] };

  const sections: StatisticsCardData['sections'] =
    initiated === 0
      ? deviationsTotal === 0
        ? []
        : [deviations]
      : [
          {
            heading: t.sections.meetings,
            facts: ['meetings.initiated', 'meetings.held', 'meetings.planned', 'meetings.cancelled', 'meetings.allThreeParties'].map(fact),
          },
          {
            heading: t.sections.time,
            facts: [
              'consentToSummons.median',
              'consentToSummons.within5',
              'consentToSummons.within10',
              'summonsToMeeting.median',
              'summonsToMeeting.within5',
              'summonsToMeeting.within10',
            ].map(fact),
          },
          {
            heading: t.sections.answers,
            facts: SUMMONABLE_PARTIES.filter((p) => figures[`answers.${p}.summoned`]?.kind === 'count' && (figures[`answers.${p}.summoned`] as { value: number }).value > 0).map(
              (p) => fact(`answers.${p}.rate`),
            ),
          },
          { heading: t.sections.commitments, facts: ['commitments.total', 'commitments.doneOnTime'].map(fact) },
          deviations,
        ].filter((s) => s.facts.length > 0);

  return renderCard<StatisticsCardData>('statistics', {
    title: t.card.title(year, scopeName),
    asOf: t.asOf(asOf),
    empty: initiated === 0,
    emptyText: t.card.noMeetings(year, scopeName),
    sections,
    suppression: t.card.legend,
    hint: t.card.hint,
  });
}

function rank(id: string): number {
  const i = (DEVIATION_KINDS as readonly string[]).indexOf(id.slice('deviations.kind.'.length));
  return i < 0 ? DEVIATION_KINDS.length : i;
}
