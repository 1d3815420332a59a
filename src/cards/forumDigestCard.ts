import type { SummonableParty } from '../domain/meeting';
import type { Municipality } from '../domain/municipality';
import type { Deviation } from '../store/deviationRepository';
import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

export interface DigestFacts {
  municipality: string;
  /** The forum's area, when the municipality has several forums. */
  area?: string;
  /** e.g. "juni 2026" */
  month: string;
  openDeviations: Pick<Deviation, 'kind' | 'party' | 'reference'>[];
  /** Case references of meetings past their deadline and not fixed. */
  lateMeetings: string[];
  /** Case references of commitments past their follow-up date and not done. */
  overdueCommitments: string[];
}

export interface ForumDigestCardData {
  title: string;
  intro: string;
  sections: { heading: string; facts: { title: string; value: string }[] }[];
}

function counted<K extends string>(items: { key: K | undefined; reference?: string }[], label: (key: K) => string): { title: string; value: string }[] {
  const groups = new Map<K, string[]>();
  for (const item of items) if (item.key) groups.set(item.key, [...(groups.get(item.key) ?? []), item.reference ?? ''].filter(Boolean));
  return [...groups].map(([key, refs]) => ({ title: label(key), value: `${items.filter((i) => i.key === key).length}${refs.length ? ` (${refs.join(', ')})` : ''}` }));
}

function listed(refs: string[]): { title: string; value: string }[] {
  return [{ title: String(refs.length), value: refs.length ? [...new Set(refs)].join(', ') : sv.deviation.digestNone }];
}

/** The forum's monthly digest: counts and case references only, never anything about a young person. */
export function forumDigestCard(facts: DigestFacts): AdaptiveCardJson {
  const deviations = facts.openDeviations;
  return renderCard<ForumDigestCardData>('forum-digest', {
    title: facts.area ? sv.deviation.digestTitleArea(facts.municipality, facts.area, facts.month) : sv.deviation.digestTitle(facts.municipality, facts.month),
    intro: sv.deviation.digestIntro,
    sections: [
      { heading: `${sv.deviation.digestDeviations}: ${deviations.length}`, facts: [] },
      { heading: sv.deviation.digestByKind, facts: counted(deviations.map((d) => ({ key: d.kind, reference: d.reference })), (k) => sv.deviation.kind[k]) },
      { heading: sv.deviation.digestByParty, facts: counted(deviations.map((d) => ({ key: d.party, reference: d.reference })), (p: SummonableParty) => sv.party[p]) },
      { heading: sv.deviation.digestLateMeetings, facts: listed(facts.lateMeetings) },
      { heading: sv.deviation.digestOverdueCommitments, facts: listed(facts.overdueCommitments) },
    ],
  });
}

export interface LansdelDigestFacts {
  lansdel: string;
  /** e.g. "kvartal 3 2026" */
  quarter: string;
  previousQuarter: string;
  openDeviations: (Pick<Deviation, 'kind' | 'party' | 'reference'> & { municipality: Municipality })[];
  reportedLastQuarter: number;
  analysedLastQuarter: number;
  lateMeetings: { municipality: Municipality; count: number }[];
}

/**
 * A länsdel's quarterly digest for its samverkansgrupp: the open deviations of its municipalities
 * (by municipality, kind and party, with report numbers), those reported and analysed in the
 * quarter before, and per municipality the meetings past their deadline (counts only: the
 * samverkansgrupp is no party to the cases).
 */
export function lansdelDigestCard(facts: LansdelDigestFacts): AdaptiveCardJson {
  const l = sv.deviation.lansdelDigest;
  const deviations = facts.openDeviations;
  return renderCard<ForumDigestCardData>('forum-digest', {
    title: l.title(facts.lansdel, facts.quarter),
    intro: l.intro,
    sections: [
      { heading: `${sv.deviation.digestDeviations}: ${deviations.length}`, facts: [] },
      { heading: l.byMunicipality, facts: counted(deviations.map((d) => ({ key: d.municipality, reference: d.reference })), (m) => m) },
      { heading: sv.deviation.digestByKind, facts: counted(deviations.map((d) => ({ key: d.kind, reference: d.reference })), (k) => sv.deviation.kind[k]) },
      { heading: sv.deviation.digestByParty, facts: counted(deviations.map((d) => ({ key: d.party, reference: d.reference })), (p: SummonableParty) => sv.party[p]) },
      {
        heading: l.lastQuarter(facts.previousQuarter),
        facts: [
          { title: l.reported, value: String(facts.reportedLastQuarter) },
          { title: l.analysed, value: String(facts.analysedLastQuarter) },
        ],
      },
      { heading: l.lateMeetings, facts: facts.lateMeetings.map((m) => ({ title: m.municipality, value: String(m.count) })) },
    ],
  });
}
