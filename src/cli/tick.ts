import { sv } from '../texts/sv';
import { configuredStore } from './configuredStore';
import { createAdapter } from '../bot/adapter';
import { loadConfig } from '../config/config';
import { createLogger } from '../log';
import { ForumPass } from '../scheduler/forumPass';
import { applyRetention } from '../scheduler/erasure';
import { ReminderPass } from '../scheduler/reminderPass';
import { Connector } from '../teams/connector';
import { echoable, parseFlags, UsageError, type CliCommand } from './command';

/**
 * `norrbus tick [--at <ISO time>]`: one reminder pass as if at that instant (default now), then
 * exit. What a cron job or an Azure Functions timer calls; tests use it to travel in time.
 * Prints what the pass did as one JSON line.
 */
export const tick: CliCommand = {
  name: 'tick',
  summary: 'kör en påminnelsekörning (som vid --at) och avslutar',
  usage: [
    'norrbus tick [--at <ISO-tid>]',
    '  Kör en påminnelsekörning som om klockan vore --at (standard: nu), forumets sammanställning och',
    '  gallringen (RETENTION_DAYS), och skriver resultatet som JSON.',
    '  --at  t.ex. 2026-03-04T09:00:00+01:00',
    '  Läser samma konfiguration som boten (NORRBUS_ENV, STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME).',
  ].join('\n'),

  async run(args, io) {
    const { help, values } = parseFlags(args, ['at'] as const);
    if (help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const at = values.at === undefined ? new Date() : new Date(values.at);
    if (values.at !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(values.at) || Number.isNaN(at.getTime()))) {
      const shown = echoable(values.at);
      throw new UsageError(`--at måste vara en ISO-tid, t.ex. 2026-03-04T09:00:00+01:00${shown === undefined ? '' : `, inte "${shown}"`} (invalid --at)`);
    }
    const config = loadConfig();
    const store = await configuredStore(config, sv.cliTick.noStorage);
    const connector = new Connector(createAdapter(config), config.bot.auth?.appId ?? '', config.serviceHosts);
    const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const result = await new ReminderPass(store, connector, log, config.reminders).run(at);
    const forum = await new ForumPass(store, connector, log, { ...config.reminders, county: config.county }).run(at);
    const retention = await applyRetention({ store, replacer: connector, log }, at, config.retention);
    io.stdout.write(`${JSON.stringify({ at: at.toISOString(), ...result, ...forum, erased: retention.erased, erasureWaiting: retention.waiting })}\n`);
    return 0;
  },
};
