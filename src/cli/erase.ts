import { configuredStore } from './configuredStore';
import { createAdapter } from '../bot/adapter';
import { loadConfig } from '../config/config';
import { parseMunicipality } from '../domain/municipality';
import { createLogger } from '../log';
import { applyRetention, eraseCase, requestErasure } from '../scheduler/erasure';
import { Connector } from '../teams/connector';
import { sv } from '../texts/sv';
import { echoable, parseFlags, UsageError, type CliCommand } from './command';

const OPERATOR = /^[\p{L}\p{N}][\p{L}\p{N} .@_-]{0,59}$/u;

/**
 * `norrbus erase --expired [--dry-run] [--at <ISO>]` applies the retention rule now;
 * `norrbus erase --case <ref> --kommun <name> --operator <name>` erases one case at once (a data
 * subject's request). Either way only the case's statistics record is left, every message about it
 * in Teams is made neutral, and the erasure is audited. Prints one JSON line.
 */
export const erase: CliCommand = {
  name: 'erase',
  summary: 'raderar ärenden vars lagringstid gått ut, eller ett ärende på begäran',
  usage: [
    'norrbus erase --expired [--dry-run] [--at <ISO-tid>]',
    'norrbus erase --case <ärendereferens> --kommun <namn> --operator <ditt namn>',
    '  --expired   raderar avslutade och inställda ärenden äldre än RETENTION_DAYS, och granskningsloggen äldre än AUDIT_RETENTION_DAYS',
    '  --dry-run   visar bara vilka ärenden som skulle raderas',
    '  --at        som om klockan vore detta, t.ex. 2026-09-01T09:00:00+02:00',
    '  --case      raderar ett ärende nu (t.ex. NB-2026-0007); kvar blir bara statistiken',
    '  Läser samma konfiguration som boten (NORRBUS_ENV, STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME).',
  ].join('\n'),

  async run(args, io) {
    const { help, values } = parseFlags(args, ['expired', 'dry-run', 'at', 'case', 'kommun', 'operator'] as const, ['expired', 'dry-run'] as const);
    if (help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const expired = values.expired !== undefined;
    if (expired === (values.case !== undefined)) throw new UsageError(sv.cliErase.oneOf);
    const at = values.at === undefined ? new Date() : new Date(values.at);
    if (values.at !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(values.at) || Number.isNaN(at.getTime()))) throw new UsageError(sv.cliErase.badAt);

    const config = loadConfig();
    const store = await configuredStore(config, sv.cliErase.noStorage);
    const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const replacer = new Connector(createAdapter(config), config.bot.auth?.appId ?? '', config.serviceHosts);

    if (expired) {
      const result = await applyRetention({ store, replacer, log }, at, config.retention, values['dry-run'] !== undefined);
      io.stdout.write(`${JSON.stringify({ at: at.toISOString(), dryRun: values['dry-run'] !== undefined, ...result })}\n`);
      return result.waiting > 0 ? 1 : 0;
    }

    const municipality = values.kommun === undefined ? undefined : parseMunicipality(values.kommun);
    if (!municipality) throw new UsageError(sv.cliErase.badMunicipality);
    if (values.operator === undefined || !OPERATOR.test(values.operator)) throw new UsageError(sv.cliErase.badOperator);
    const claim = (await store.caseReferences.find(municipality, values.case!))?.value;
    if (!claim) {
      const shown = echoable(values.case!, 20);
      io.stderr.write(`${sv.cliErase.unknownCase(shown)}\n`);
      return 1;
    }
    const by = `operator:${values.operator}`;
    await requestErasure(store, claim.meetingId, at, 'request', by);
    const outcome = await eraseCase({ store, replacer, log }, claim.meetingId, at, by);
    io.stdout.write(`${JSON.stringify({ at: at.toISOString(), meetingId: claim.meetingId, outcome })}\n`);
    return outcome === 'retry' ? 1 : 0;
  },
};
