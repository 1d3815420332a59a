import { MUNICIPALITIES, type Municipality } from '../domain/municipality';
import { PARTIES, type Party } from '../domain/party';
import { sv } from '../texts/sv';
import { partyChoices } from './choices';
import { renderCard, type AdaptiveCardJson } from './render';

export interface RegisterCardData {
  t: typeof sv.register;
  municipalities: readonly Municipality[];
  parties: { title: string; value: Party }[];
  municipality: string;
  party: string;
  forumArea: string;
  error: string;
}

/**
 * The card that registers a channel as a party's intake channel (kanalregistrering), a Forum barn
 * och unga (of the municipality, or of an area in it) or a länsdel's samverkansgrupp.
 */
export function registerCard(values: { municipality?: string; party?: string; forumArea?: string; error?: string } = {}): AdaptiveCardJson {
  return renderCard<RegisterCardData>('register', {
    t: sv.register,
    municipalities: MUNICIPALITIES,
    parties: partyChoices(PARTIES),
    municipality: values.municipality ?? '',
    party: values.party ?? '',
    forumArea: values.forumArea ?? '',
    error: values.error ?? '',
  });
}

export interface RegisterReplaceCardData {
  t: typeof sv.register;
  question: string;
  municipality: Municipality;
  party: Party;
  forumArea: string;
  replacesChannelId: string;
}

/** Asks before a new channel replaces the one registered for the same slot (municipality and party, forum area, länsdel). */
export function registerReplaceCard(input: {
  municipality: Municipality;
  party: Party;
  forumArea?: string;
  replacesChannelId: string;
  question: string;
}): AdaptiveCardJson {
  return renderCard<RegisterReplaceCardData>('register-replace', {
    t: sv.register,
    question: input.question,
    municipality: input.municipality,
    party: input.party,
    forumArea: input.forumArea ?? '',
    replacesChannelId: input.replacesChannelId,
  });
}

export interface RegisterApprovalCardData {
  t: typeof sv.register;
  question: string;
  municipality: Municipality;
  party: Party;
  forumArea: string;
  requestId: string;
}

/** Posted in the registered channel: another channel of the organisation asks to become the way in. */
export function registerApprovalCard(input: { municipality: Municipality; party: Party; forumArea?: string; requestId: string; question: string }): AdaptiveCardJson {
  return renderCard<RegisterApprovalCardData>('register-approval', {
    t: sv.register,
    question: input.question,
    municipality: input.municipality,
    party: input.party,
    forumArea: input.forumArea ?? '',
    requestId: input.requestId,
  });
}
