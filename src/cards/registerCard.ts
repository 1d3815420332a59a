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
  error: string;
}

/** The card that registers a channel as a party's intake channel (kanalregistrering). */
export function registerCard(values: { municipality?: string; party?: string; error?: string } = {}): AdaptiveCardJson {
  return renderCard<RegisterCardData>('register', {
    t: sv.register,
    municipalities: MUNICIPALITIES,
    parties: partyChoices(PARTIES),
    municipality: values.municipality ?? '',
    party: values.party ?? '',
    error: values.error ?? '',
  });
}

export interface RegisterReplaceCardData {
  t: typeof sv.register;
  question: string;
  municipality: Municipality;
  party: Party;
  replacesChannelId: string;
}

/** Asks before a new channel replaces the one registered for the same municipality and party. */
export function registerReplaceCard(input: {
  municipality: Municipality;
  party: Party;
  replacesChannelId: string;
  currentChannelLabel: string;
}): AdaptiveCardJson {
  return renderCard<RegisterReplaceCardData>('register-replace', {
    t: sv.register,
    question: sv.register.replaceQuestionApproval(sv.party[input.party], input.municipality, input.currentChannelLabel),
    municipality: input.municipality,
    party: input.party,
    replacesChannelId: input.replacesChannelId,
  });
}

export interface RegisterApprovalCardData {
  t: typeof sv.register;
  question: string;
  municipality: Municipality;
  party: Party;
  requestId: string;
}

/** Posted in the registered channel: another channel of the organisation asks to become the way in. */
export function registerApprovalCard(input: { municipality: Municipality; party: Party; requestId: string; requesterLabel: string }): AdaptiveCardJson {
  return renderCard<RegisterApprovalCardData>('register-approval', {
    t: sv.register,
    question: sv.register.approvalQuestion(input.requesterLabel, sv.party[input.party], input.municipality),
    municipality: input.municipality,
    party: input.party,
    requestId: input.requestId,
  });
}
