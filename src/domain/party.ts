/**
 * The organisations that take part in Norrbus. The three core parties (skola, socialtjänst,
 * primärvård) convene each other; specialist care can be summoned; the forum (Forum barn och unga)
 * is the municipality's channel (one or several per municipality, by area) for deviations and
 * follow-up, never a party to a case; `lansdel` is the collaboration group (samverkansgrupp) of a
 * länsdel (src/domain/county.ts), which gets the deviations of its municipalities.
 */
export const PARTIES = ['skola', 'socialtjanst', 'primarvard', 'specialistvard', 'forum', 'lansdel'] as const;

export type Party = (typeof PARTIES)[number];

export function isParty(value: unknown): value is Party {
  return typeof value === 'string' && (PARTIES as readonly string[]).includes(value);
}
