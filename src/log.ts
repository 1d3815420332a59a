import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The bot's logger. Callers log kinds, ids and outcomes, never free text from chat or cards:
 * that text can describe a child.
 */
export function createLogger(level: string, name = 'norrbus'): Logger {
  return pino({ name, level, base: { name } });
}
