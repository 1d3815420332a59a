import type { SummonableParty } from '../domain/meeting';
import type { Deviation } from '../store/deviationRepository';
import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

export interface DigestFacts {
  municipality: string;
  /** e.g. "juni 2026" */
  month: string;
  openDeviations: Pick<Deviation, 'kind' | 'party' | 'reference'>[];
  /** Case references of meetings past their deadline and not fixed. */
  lateMeetings: string[];
  /** Case references of commitments past their follow-up date and not done. */
  overdueCommitments: string[];
}

export interface ForumDigestCardData {
  t: typeof sv.deviation;
  title: string;
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
    t: sv.deviation,
    title: sv.deviation.digestTitle(facts.municipality, facts.month),
    sections: [
      { heading: `${sv.deviation.digestDeviations}: ${deviations.length}`, facts: [] },
      { heading: sv.deviation.digestByKind, facts: counted(deviations.map((d) => ({ key: d.kind, reference: d.reference })), (k) => sv.deviation.kind[k]) },
      { heading: sv.deviation.digestByParty, facts: counted(deviations.map((d) => ({ key: d.party, reference: d.reference })), (p: SummonableParty) => sv.party[p]) },
      { heading: sv.deviation.digestLateMeetings, facts: listed(facts.lateMeetings) },
      { heading: sv.deviation.digestOverdueCommitments, facts: listed(facts.overdueCommitments) },
    ],
  });
}
