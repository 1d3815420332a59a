import { helpCard } from '../../cards/helpCard';
import type { Turn } from '../turn';

/** `norrbus hjälp`, and the answer to anything the bot does not understand. */
export async function showHelp(turn: Turn): Promise<void> {
  await turn.sendCard(helpCard());
}
