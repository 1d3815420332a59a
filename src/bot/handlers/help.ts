import type { TurnContext } from 'botbuilder';
import { helpCard } from '../../cards/helpCard';
import { sendCard } from '../turn';

/** `norrbus hjälp`, and the answer to anything the bot does not understand. */
export async function showHelp(context: TurnContext): Promise<void> {
  await sendCard(context, helpCard());
}
