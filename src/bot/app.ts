import { ActivityTypes, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { parseCommand, type Command } from '../domain/command';
import { sv } from '../texts/sv';
import type { BotDeps } from './deps';
import { listChannels } from './handlers/channels';
import { showHelp } from './handlers/help';
import { onInstallationUpdate, onMembersChanged } from './handlers/installation';
import {
  cancelCommitmentCard,
  editCommitment,
  exportPlan,
  markCommitment,
  readCommitmentText,
  saveCommitment,
  setPlan,
  showPlan,
  withdrawCommitment,
} from './handlers/commitments';
import { analyseDeviation, closeDeviation, startAnalysis, startDeviation, submitDeviation } from './handlers/deviations';
import { escalateDisagreement, resolveDisagreement, startDisagreement, submitDisagreement } from './handlers/disagreements';
import { cancelMeetingByConvener, confirmMeeting, withdrawConsent } from './handlers/meetingDecisions';
import { answerCommitmentCheck, draftDeviation, startFollowUpMeeting } from './handlers/reminderActions';
import { listMyMeetings } from './handlers/myMeetings';
import { startNewMeeting, submitIntake } from './handlers/newMeeting';
import { cancelRegistration, confirmReplacement, startRegistration, submitRegistration } from './handlers/registration';
import { submitAnswer } from './handlers/summonsAnswers';
import { showStatistics } from './handlers/statistics';
import { placeOf } from './turn';

/** Which handler answers which command: the one place where chat text meets the flows. */
async function routeCommand(context: TurnContext, deps: BotDeps, command: Command): Promise<void> {
  switch (command.kind) {
    case 'help':
    case 'unknown':
      return showHelp(context);
    case 'register':
      return startRegistration(context, deps);
    case 'channels':
      return listChannels(context, deps, command.municipality);
    case 'unknownMunicipality':
      await context.sendActivity(sv.unknownMunicipality(command.given));
      return;
    case 'newMeeting':
      return startNewMeeting(context, deps);
    case 'myMeetings':
      return listMyMeetings(context, deps);
    case 'commitment':
      return readCommitmentText(context, deps, command.text);
    case 'plan':
      return showPlan(context, deps, command.asText);
    case 'deviation':
      return startDeviation(context, deps);
    case 'disagreement':
      return startDisagreement(context, deps);
    case 'statistics':
      return showStatistics(context, deps, command.year, command.municipality);
  }
}

function tenantAllowed(context: TurnContext, deps: BotDeps): boolean {
  const allowed = deps.config.allowedTenantIds;
  if (allowed.length === 0) return true;
  const tenantId = placeOf(context).tenantId?.toLowerCase();
  return tenantId !== undefined && allowed.some((id) => id.toLowerCase() === tenantId);
}

/** The teams-ai application with every route of the Norrbus bot. */
export function createApplication(adapter: TeamsAdapter, deps: BotDeps): Application {
  const app = new Application({
    adapter,
    removeRecipientMention: true,
    startTypingTimer: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_ALL },
  });

  app.turn('beforeTurn', async (context) => {
    if (tenantAllowed(context, deps)) return true;
    deps.log.warn({ activity: context.activity.type }, 'activity from a tenant that is not allowed');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(sv.tenantNotAllowed);
    return false;
  });

  app.activity(ActivityTypes.InstallationUpdate, (context) => onInstallationUpdate(context, deps));
  app.conversationUpdate('membersAdded', (context) => onMembersChanged(context, deps, 'added'));
  app.conversationUpdate('membersRemoved', (context) => onMembersChanged(context, deps, 'removed'));

  app.activity(ActivityTypes.Message, async (context) => {
    const command = parseCommand(context.activity.text ?? '');
    deps.log.info({ command: command.kind, conversationType: placeOf(context).conversationType }, 'command');
    await routeCommand(context, deps, command);
  });

  app.adaptiveCards.actionExecute('registerChannel', (context, _state, data) => submitRegistration(context, deps, data));
  app.adaptiveCards.actionExecute('replaceChannel', (context, _state, data) => confirmReplacement(context, deps, data));
  app.adaptiveCards.actionExecute('cancelRegistration', () => cancelRegistration());
  app.adaptiveCards.actionExecute('submitIntake', (context, _state, data) => submitIntake(context, deps, data));
  app.adaptiveCards.actionExecute('answerSummons', (context, _state, data) => submitAnswer(context, deps, data));
  app.adaptiveCards.actionExecute('fixMeeting', (context, _state, data) => confirmMeeting(context, deps, data));
  app.adaptiveCards.actionExecute('cancelMeeting', (context, _state, data) => cancelMeetingByConvener(context, deps, data));
  app.adaptiveCards.actionExecute('withdrawConsent', (context, _state, data) => withdrawConsent(context, deps, data));
  app.adaptiveCards.actionExecute('saveCommitment', (context, _state, data) => saveCommitment(context, deps, data));
  app.adaptiveCards.actionExecute('cancelCommitment', () => cancelCommitmentCard());
  app.adaptiveCards.actionExecute('editCommitment', (context, _state, data) => editCommitment(context, deps, data));
  app.adaptiveCards.actionExecute('withdrawCommitment', (context, _state, data) => withdrawCommitment(context, deps, data));
  app.adaptiveCards.actionExecute('commitmentStatus', (context, _state, data) => markCommitment(context, deps, data));
  app.adaptiveCards.actionExecute('setPlan', (context, _state, data) => setPlan(context, deps, data));
  app.adaptiveCards.actionExecute('exportPlan', (context, _state, data) => exportPlan(context, deps, data));
  app.adaptiveCards.actionExecute('commitmentOutcome', (context, _state, data) => answerCommitmentCheck(context, deps, data));
  app.adaptiveCards.actionExecute('draftDeviation', (context, _state, data) => draftDeviation(context, deps, data));
  app.adaptiveCards.actionExecute('startFollowUp', (context, _state, data) => startFollowUpMeeting(context, deps, data));
  app.adaptiveCards.actionExecute('submitDeviation', (context, _state, data) => submitDeviation(context, deps, data));
  app.adaptiveCards.actionExecute('deviationStatus', (context, _state, data) => startAnalysis(context, deps, data));
  app.adaptiveCards.actionExecute('analyseDeviation', (context, _state, data) => analyseDeviation(context, deps, data));
  app.adaptiveCards.actionExecute('closeDeviation', (context, _state, data) => closeDeviation(context, deps, data));
  app.adaptiveCards.actionExecute('submitDisagreement', (context, _state, data) => submitDisagreement(context, deps, data));
  app.adaptiveCards.actionExecute('escalateDisagreement', (context, _state, data) => escalateDisagreement(context, deps, data));
  app.adaptiveCards.actionExecute('resolveDisagreement', (context, _state, data) => resolveDisagreement(context, deps, data));

  app.error(async (context, error) => {
    deps.log.error({ err: { name: error.name, message: error.message, stack: error.stack }, activity: context.activity.type }, 'turn failed');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(sv.somethingWentWrong);
  });

  return app;
}
