/**
 * The organisations that take part in Norrbus. The three core parties (skola, socialtjänst,
 * primärvård) convene each other; specialist care can be summoned; the forum (Forum barn och unga)
 * is the municipality's channel for deviations and follow-up, never a party to a case.
 */
export const PARTIES = ['skola', 'socialtjanst', 'primarvard', 'specialistvard', 'forum'] as const;

export type Party = (typeof PARTIES)[number];

export function isParty(value: unknown): value is Party {
  return typeof value === 'string' && (PARTIES as readonly string[]).includes(value);
}
