import { ActivityTypes, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { parseCommand, type Command } from '../domain/command';
import { sv } from '../texts/sv';
import type { AdaptiveCardJson } from '../cards/render';
import type { BotDeps } from './deps';
import { listChannels } from './handlers/channels';
import { showHelp } from './handlers/help';
import { onInstallation } from './handlers/installation';
import {
  cancelCommitmentCard,
  confirmNothingFurther,
  editCommitment,
  exportPlan,
  listenForCommitments,
  markCommitment,
  readCommitmentText,
  saveCommitment,
  showPlan,
  withdrawCommitment,
} from './handlers/commitments';
import { analyseDeviation, closeDeviation, reportDeviationToCounty, startAnalysis, startDeviation, submitDeviation } from './handlers/deviations';
import { escalateDisagreement, recordManagementStep, resolveDisagreement, startDisagreement, submitDisagreement } from './handlers/disagreements';
import { cancelMeetingByConvener, closeCase, confirmMeeting, setListening, withdrawConsent } from './handlers/meetingDecisions';
import { answerCommitmentCheck, draftDeviation, startFollowUpMeeting } from './handlers/reminderActions';
import { recordMeetingHeld } from './handlers/meetingHeld';
import { listMyMeetings } from './handlers/myMeetings';
import { markPlacementStep, setPlan } from './handlers/plan';
import { startNewMeeting, submitIntake } from './handlers/newMeeting';
import { approveReplacement, cancelRegistration, rejectReplacement, requestReplacement, startRegistration, submitRegistration } from './handlers/registration';
import { refreshCard } from './handlers/refresh';
import { addParty, resummonParty } from './handlers/summoning';
import { submitAnswer, submitTimeAnswer } from './handlers/summonsAnswers';
import { showStatistics } from './handlers/statistics';
import { isStorageUnavailable } from '../store/store';
import { Roster } from '../teams/roster';
import { placeOf, teamsTurn } from './teamsTurn';
import type { Turn } from './turn';

/** Which handler answers which command: the one place where chat text meets the flows. */
async function routeCommand(turn: Turn, deps: BotDeps, command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
      return showHelp(turn);
    case 'unknown':
      if (command.suggestion) {
        await turn.send(sv.didYouMean(command.suggestion));
        return;
      }
      return showHelp(turn);
    case 'register':
      return startRegistration(turn, deps);
    case 'channels':
      return listChannels(turn, deps, command.municipality);
    case 'unknownMunicipality':
      await turn.send(sv.unknownMunicipality);
      return;
    case 'newMeeting':
      return startNewMeeting(turn, deps);
    case 'myMeetings':
      return listMyMeetings(turn, deps);
    case 'commitment':
      return readCommitmentText(turn, deps, command.text);
    case 'plan':
      return showPlan(turn, deps, command.asText);
    case 'deviation':
      return startDeviation(turn, deps);
    case 'disagreement':
      return startDisagreement(turn, deps);
    case 'statistics':
      return showStatistics(turn, deps, command.year, command.municipality);
  }
}

type CardHandler = (turn: Turn, deps: BotDeps, data: unknown) => Promise<AdaptiveCardJson | string>;

/** Every card action (Action.Execute verb) the bot answers, and its handler: the one place cards and flows meet. */
export const CARD_ROUTES = {
  registerChannel: submitRegistration,
  replaceChannel: requestReplacement,
  approveReplacement,
  rejectReplacement,
  cancelRegistration: () => cancelRegistration(),
  submitIntake,
  answerSummons: submitAnswer,
  answerFixedTime: submitTimeAnswer,
  fixMeeting: confirmMeeting,
  cancelMeeting: cancelMeetingByConvener,
  withdrawConsent,
  closeCase,
  meetingHeld: recordMeetingHeld,
  saveCommitment,
  cancelCommitment: () => cancelCommitmentCard(),
  editCommitment,
  withdrawCommitment,
  commitmentStatus: markCommitment,
  setPlan,
  placementStep: markPlacementStep,
  exportPlan,
  commitmentOutcome: answerCommitmentCheck,
  draftDeviation,
  startFollowUp: startFollowUpMeeting,
  submitDeviation,
  deviationStatus: startAnalysis,
  analyseDeviation,
  closeDeviation,
  reportDeviationToCounty,
  submitDisagreement,
  disagreementStep: recordManagementStep,
  escalateDisagreement,
  resolveDisagreement,
  refreshCard,
  addParty,
  resummonParty,
  setListening,
  confirmNothingFurther,
} satisfies Record<string, CardHandler>;

/** A command that names the bot as its first word ("norrbus plan", "/norrbus …") is meant for it, mentioned or not. */
const NAMED = /^\s*\/?norrbus\b/i;

/** An invoke answered with a message: Teams shows it and leaves the card as it was. */
function messageInvoke(text: string) {
  return { type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } };
}

/** The teams-ai application with every route of the Norrbus bot. */
export function createApplication(adapter: TeamsAdapter, deps: BotDeps): Application {
  const app = new Application({
    adapter,
    removeRecipientMention: true,
    startTypingTimer: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_ALL },
  });

  const roster = new Roster(adapter, deps.config.bot.auth?.appId ?? '', deps.config.serviceHosts);
  // Every activity is from an organisation in the directory before any handler sees it.
  const turns = new WeakMap<TurnContext, Turn>();
  const turnOf = (context: TurnContext): Turn => {
    const turn = turns.get(context);
    if (!turn) throw new Error('turn without a resolved organisation');
    return turn;
  };
  app.turn('beforeTurn', async (context) => {
    const organisation = deps.config.organisations.find(placeOf(context).tenantId);
    if (organisation) {
      turns.set(context, teamsTurn(context, organisation, roster));
      return true;
    }
    deps.log.warn({ activity: context.activity.type }, 'activity from a tenant outside the organisation directory');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(sv.tenantNotAllowed);
    if (context.activity.type === ActivityTypes.Invoke) await context.sendActivity(messageInvoke(sv.tenantNotAllowed));
    return false;
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('add')) await onInstallation(turnOf(context), deps, 'add');
    else if (action.startsWith('remove')) await onInstallation(turnOf(context), deps, 'remove');
  });
  const botAmong = (context: TurnContext, members: { id: string }[] | undefined) => (members ?? []).some((m) => m.id === context.activity.recipient?.id);
  app.conversationUpdate('membersAdded', async (context) => {
    if (botAmong(context, context.activity.membersAdded)) await onInstallation(turnOf(context), deps, 'add');
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    if (botAmong(context, context.activity.membersRemoved)) await onInstallation(turnOf(context), deps, 'remove');
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    const turn = turnOf(context);
    const command = parseCommand(text);
    // Not meant for the bot (no @mention, not a "norrbus <command>"): only a commitment in a meeting's thread is answered, and nothing is logged.
    if (!turn.addressed && !(NAMED.test(text) && command.kind !== 'unknown')) return listenForCommitments(turn, deps, text);
    deps.log.info({ command: command.kind, conversationType: placeOf(context).conversationType }, 'command');
    await routeCommand(turn, deps, command);
  });

  for (const [verb, handler] of Object.entries(CARD_ROUTES)) {
    app.adaptiveCards.actionExecute(verb, (context, _state, data) => handler(turnOf(context), deps, data));
  }

  // A turn that threw: the person is told in Swedish, never with internals. Storage that cannot be
  // reached (it fails within a few seconds, src/store/store.ts) gets its own words; a card action
  // gets them as a message on the card, which Teams shows leaving the card as it was.
  app.error(async (context, error) => {
    const storage = isStorageUnavailable(error);
    deps.log.error(
      { err: { name: error.name, message: error.message, stack: error.stack }, storage: storage ? 'unreachable' : undefined, activity: context.activity.type },
      storage ? 'turn failed: storage unreachable' : 'turn failed',
    );
    const text = storage ? sv.storageUnavailable : sv.somethingWentWrong;
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(text);
    if (context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action') await context.sendActivity(messageInvoke(text));
  });

  return app;
}
