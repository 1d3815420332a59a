import { configuredStore } from './configuredStore';
import { createAdapter } from '../bot/adapter';
import { channelLabel, decidedCard, decideReplacement, nameOfSlot } from '../bot/channelReplacement';
import { AREA_NAME } from '../domain/county';
import { containsPersonalIdentityNumber } from '../domain/privacy';
import type { DirectorySlot } from '../store/intakeChannelRepository';
import { loadConfig } from '../config/config';
import { MUNICIPALITIES, parseMunicipality, type Municipality } from '../domain/municipality';
import { isParty, PARTIES } from '../domain/party';
import { createLogger } from '../log';
import { Connector } from '../teams/connector';
import { sv } from '../texts/sv';
import { echoable, parseFlags, UsageError, type CliCommand } from './command';

const ACTIONS = ['lista', 'godkänn', 'avslå'] as const;
type Action = (typeof ACTIONS)[number];

const OPERATOR = /^[\p{L}\p{N}][\p{L}\p{N} .@_-]{0,59}$/u;

function municipalityOf(value: string | undefined, required: boolean): Municipality | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(sv.cliChannels.missingMunicipality);
    return undefined;
  }
  const municipality = parseMunicipality(value);
  if (!municipality) throw new UsageError(sv.cliChannels.badMunicipality);
  return municipality;
}

/**
 * `norrbus kanaler lista|godkänn|avslå`: the channel directory for operators. `lista` shows the
 * registered intake channels and the replacement requests waiting; `godkänn` and `avslå` decide a
 * waiting request when the registered channel cannot (a deleted channel, a team that left), with
 * the same effect and audit as the card there.
 */
export const channels: CliCommand = {
  name: 'kanaler',
  summary: 'visar kanalregistret och godkänner eller avslår byte av väg in',
  usage: [
    'norrbus kanaler lista [--kommun <namn>]',
    'norrbus kanaler godkänn --kommun <namn> --part <part> [--omrade <område>] --operator <ditt namn>',
    'norrbus kanaler avslå --kommun <namn> --part <part> [--omrade <område>] --operator <ditt namn>',
    '  lista     registrerade kanaler (väg in) och väntande begäran om byte, en rad per part och kommun',
    '  godkänn   låter den kanal som begärt bytet bli väg in; båda kanalerna får veta det',
    '  avslå     tar bort begäran; den registrerade kanalen är kvar',
    `  --part    ${PARTIES.join(', ')} (lansdel: samverkansgruppen i kommunens länsdel)`,
    '  --omrade  för forum: forumets område, när kommunen har flera Forum barn och unga',
    '  --operator  vem som beslutar, för granskningsloggen',
    '  Läser samma konfiguration som boten (NORRBUS_ENV, STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME).',
  ].join('\n'),

  async run(args, io) {
    const [first, ...rest] = args;
    if (first === '--help' || first === '-h') {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    if (first === undefined || !(ACTIONS as readonly string[]).includes(first)) {
      const shown = first === undefined ? undefined : echoable(first);
      throw new UsageError(sv.cliChannels.badAction(shown));
    }
    const action = first as Action;
    const { help, values } = parseFlags(rest, ['kommun', 'part', 'operator', 'omrade'] as const);
    if (help) {
      io.stdout.write(`${this.usage}\n`);
      return 0;
    }
    const municipality = municipalityOf(values.kommun, action !== 'lista');
    if (action !== 'lista') {
      if (values.part === undefined || !isParty(values.part)) throw new UsageError(sv.cliChannels.badParty);
      if (values.operator === undefined || !OPERATOR.test(values.operator)) throw new UsageError(sv.cliChannels.badOperator);
      if (values.omrade !== undefined && (values.part !== 'forum' || !AREA_NAME.test(values.omrade) || containsPersonalIdentityNumber(values.omrade))) {
        throw new UsageError(sv.cliChannels.badArea);
      }
    }

    const config = loadConfig();
    const store = await configuredStore(config, sv.cliChannels.noStorage);

    if (action === 'lista') {
      const line = (where: string, channel: Awaited<ReturnType<typeof store.intakeChannels.listMunicipality>>[number]) => {
        const organisation = config.organisations.find(channel.tenantId)?.name ?? sv.cliChannels.unknownOrganisation;
        const waiting = channel.replacementRequest ? sv.cliChannels.waiting(channelLabel(channel.replacementRequest.channel)) : '';
        const area = channel.forumArea ? sv.cliChannels.area(channel.forumArea) : '';
        io.stdout.write(`${[where, channel.party, organisation, channelLabel(channel), waiting, ...(area ? [area] : [])].join('\t')}\n`);
      };
      for (const m of municipality ? [municipality] : MUNICIPALITIES) {
        for (const channel of await store.intakeChannels.listMunicipality(m)) line(m, channel);
      }
      const lansdelar = municipality ? [config.county.lansdelOf(municipality)] : config.county.lansdelar;
      const registered = await store.intakeChannels.listLansdelar();
      for (const lansdel of lansdelar) {
        const channel = registered.find((c) => c.lansdel === lansdel.id);
        if (channel) line(lansdel.name, channel);
      }
      return 0;
    }

    const party = values.part as (typeof PARTIES)[number];
    const slot: DirectorySlot =
      party === 'lansdel'
        ? { municipality: municipality!, party, lansdel: config.county.lansdelOf(municipality!).id }
        : { municipality: municipality!, party, forumArea: party === 'forum' ? values.omrade : undefined };
    const name = nameOfSlot(config.county, slot);
    const stored = (await store.intakeChannels.getSlot(slot))?.value;
    const request = stored?.replacementRequest;
    if (!stored || !request) {
      io.stderr.write(`${sv.cliChannels.nothingWaiting(name.party, name.where)}\n`);
      return 1;
    }
    const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const connector = new Connector(createAdapter(config), config.bot.auth?.appId ?? '', config.serviceHosts);
    const approve = action === 'godkänn';
    const outcome = await decideReplacement(
      { store, connector, log, clock: () => new Date() },
      { slot, name, requestId: request.id, approve, by: `operator:${values.operator}` },
    );
    if (outcome.outcome === 'stale') {
      io.stderr.write(`${sv.cliChannels.nothingWaiting(name.party, name.where)}\n`);
      return 1;
    }
    // The approval card in the registered channel says what was decided, as if decided there.
    if (request.approval) {
      const reference = { ...outcome.previous.conversationReference, conversation: { ...outcome.previous.conversationReference.conversation, id: request.approval.threadId } };
      await connector.updateCard(reference, request.approval.activityId, decidedCard(outcome, name)).catch((error: Error) => {
        log.warn({ err: { name: error.name } }, 'approval card not updated');
      });
    }
    io.stdout.write(`${approve ? sv.cliChannels.approved(channelLabel(request.channel), name.party, name.where) : sv.cliChannels.rejected(name.party, name.where)}\n`);
    return 0;
  },
};
