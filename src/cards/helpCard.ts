import { sv } from '../texts/sv';
import { renderCard, type AdaptiveCardJson } from './render';

export interface HelpCardData {
  title: string;
  intro: string;
  privacy: string;
  commandsHeading: string;
  commands: readonly { command: string; description: string }[];
}

let rendered: AdaptiveCardJson | undefined;

/** The help card (hjälp): every command of the bot with what it does. The same for everyone: rendered once, a copy per send. */
export function helpCard(): AdaptiveCardJson {
  const data: HelpCardData = sv.help;
  rendered ??= renderCard('help', data);
  return structuredClone(rendered);
}
