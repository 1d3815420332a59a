import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

export interface HelpCardData {
  title: string;
  intro: string;
  privacy: string;
  commandsHeading: string;
  commands: readonly { command: string; description: string }[];
}

/** The help card (hjälp): every command of the bot with what it does. */
export function helpCard(): AdaptiveCardJson {
  const data: HelpCardData = sv.help;
  return renderCard('help', data);
}
