import { isWordOrSlip, tokens } from './text';

/** The organisations a commitment can belong to (the forum is never responsible for an intervention). */
export type CommitmentParty = 'skola' | 'socialtjanst' | 'primarvard' | 'specialistvard';

/**
 * The ways people name the organisations, as single folded words (a form of the word — definite,
 * genitive — or an abbreviation). Long names also match with a typing slip ("halsocentarlen").
 * BUP, habilitation and the children's clinic are specialist care; the youth clinic (UM) and child
 * health care (BVC) are run by primary care in Norrbotten. "Öppenvården" ("kommunens öppenvård") is
 * the social services' own outpatient unit (family treatment, ART, MI).
 */
const ORGANISATIONS: Array<{ party: CommitmentParty; exact: RegExp; long: string[] }> = [
  {
    party: 'skola',
    exact: /^(skola|skolan|skolans|skolor|skolorna|grundskolan|gymnasiet|gymnasieskolan|forskolan|forskola|elevhalsa|elevhalsan|elevhalsans|elevhalsoteam|elevhalsoteamet|eht)$/,
    long: ['elevhalsan', 'elevhalsoteamet', 'grundskolan', 'gymnasieskolan'],
  },
  {
    party: 'socialtjanst',
    exact: /^(soc|socen|socs|socialen|socialtjanst|socialtjansten|socialtjanstens|ifo|socialforvaltningen|socialforvaltning|oppenvard|oppenvarden|oppenvardens)$/,
    long: ['socialtjansten', 'socialtjanst', 'socialforvaltningen', 'oppenvarden'],
  },
  {
    party: 'primarvard',
    exact: /^(hc|vc|halsocentral|halsocentralen|halsocentralens|vardcentral|vardcentralen|vardcentralens|primarvard|primarvarden|primarvardens|bvc|um|ungdomsmottagning|ungdomsmottagningen)$/,
    long: ['halsocentralen', 'vardcentralen', 'primarvarden', 'ungdomsmottagningen'],
  },
  {
    party: 'specialistvard',
    exact: /^(bup|bups|ungdomspsykiatrin|barnpsykiatrin|habilitering|habiliteringen|barnhabilitering|barnhabiliteringen|habben|barnklinik|barnkliniken|barnmottagningen|bum|ungdomsmedicin|vuxenpsykiatrin|psykiatrin|specialistvard|specialistvarden)$/,
    long: ['ungdomspsykiatrin', 'barnhabiliteringen', 'habiliteringen', 'barnkliniken', 'barnmottagningen', 'vuxenpsykiatrin', 'specialistvarden'],
  },
];

/** The organisation a single folded word names, if any. */
export function organisationOf(word: string): CommitmentParty | null {
  for (const { party, exact } of ORGANISATIONS) if (exact.test(word)) return party;
  if (word.length >= 8) {
    for (const { party, long } of ORGANISATIONS) if (long.some((name) => isWordOrSlip(word, name))) return party;
  }
  return null;
}

export interface Mention {
  party: CommitmentParty;
  start: number;
  end: number;
}

/** Every organisation named in a folded text, in order. */
export function organisationMentions(folded: string): Mention[] {
  return tokens(folded).flatMap((t) => {
    const party = organisationOf(t.word);
    return party ? [{ party, start: t.start, end: t.end }] : [];
  });
}
