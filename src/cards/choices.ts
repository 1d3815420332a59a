import type { Party } from '../domain/party';
import { sv } from '../texts/sv';

/** A choice of an Input.ChoiceSet. */
export type Choice = { title: string; value: string };

/** Parties as choices on a card, with their Swedish names. */
export function partyChoices<P extends Party>(parties: readonly P[]): { title: string; value: P }[] {
  return parties.map((value) => ({ title: sv.party[value], value }));
}
