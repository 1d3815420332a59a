import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { DEFAULT_LOCAL_PRACTICE, type LocalPractice } from '../domain/localPractice';
import type { County } from '../domain/county';
import type { OrganisationDirectory } from '../domain/organisation';
import { projectRoot } from '../projectRoot';
import { readCounty } from './county';
import { readOrganisationDirectory } from './organisationDirectory';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} måste vara ett portnummer (0–65535)` })
    .int(`${name} måste vara ett heltal`)
    .min(0, `${name} måste vara ett portnummer (0–65535)`)
    .max(65535, `${name} måste vara ett portnummer (0–65535)`)
    .default(fallback);

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const hostList = z
  .string()
  .trim()
  .default('smba.trafficmanager.net')
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
  .refine((hosts) => hosts.length > 0 && hosts.every((h) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(h)), {
    message: 'TEAMS_SERVICE_HOSTS ska vara en kommaseparerad lista av värdnamn, t.ex. smba.trafficmanager.net',
  });

/** Addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** An https URL, or http to this machine (a test's own token service). */
function isSecureOrLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

const endpointUrl = (name: string) =>
  optionalText.refine((v) => v === undefined || isSecureOrLoopbackUrl(v), `${name} ska vara en https-adress (eller http till 127.0.0.1/localhost)`);

/** A number of seconds (or hours) within bounds, with its default. */
const seconds = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} måste vara ett tal` })
    .min(min, `${name} måste vara minst ${min}`)
    .max(max, `${name} får vara högst ${max}`)
    .default(fallback);

/** A whole number of days within bounds, with its default. */
const days = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `${name} måste vara ett antal dagar` })
    .int(`${name} måste vara ett helt antal dagar`)
    .min(min, `${name} måste vara minst ${min}`)
    .max(max, `${name} får vara högst ${max}`)
    .default(fallback);

/** The variables the bot reads, with their defaults and the message shown when one is wrong. */
const schema = z
  .object({
    NORRBUS_ENV: z.string().regex(/^[a-z][a-z0-9-]*$/, 'NORRBUS_ENV ska vara ett miljönamn, t.ex. local eller dev'),
    BOT_HOST: z.string().trim().min(1, 'BOT_HOST får inte vara tomt').default('127.0.0.1'),
    BOT_PORT: port('BOT_PORT', 3978),
    BOT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), 'BOT_ID ska vara ett GUID (appens id i Entra ID)'),
    BOT_PASSWORD: optionalText,
    BOT_TENANT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), 'BOT_TENANT_ID ska vara ett GUID'),
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      errorMap: () => ({ message: 'BOT_TYPE ska vara MultiTenant, SingleTenant eller UserAssignedMSI' }),
    }).default('SingleTenant'),
    // Where the tokens Teams sends are checked (default: the Bot Framework's); only tests and
    // sovereign clouds set these.
    BOT_OPENID_METADATA_URL: endpointUrl('BOT_OPENID_METADATA_URL'),
    BOT_TOKEN_ISSUER: endpointUrl('BOT_TOKEN_ISSUER'),
    ORGANISATION_DIRECTORY: z
      .string({ required_error: 'ORGANISATION_DIRECTORY saknas: ange organisationskatalogen (t.ex. env/organisations.local.json)' })
      .trim()
      .min(1, 'ORGANISATION_DIRECTORY saknas: ange organisationskatalogen (t.ex. env/organisations.local.json)'),
    // Which municipalities form which länsdel (a JSON file, env/README.md); unset: the four of src/domain/county.ts.
    LANSDELAR: optionalText,
    TEAMS_SERVICE_HOSTS: hostList,
    STORAGE_CONNECTION_STRING: optionalText.refine(
      (v) => v === undefined || v === 'UseDevelopmentStorage=true' || /(^|;)(AccountName|TableEndpoint)=/.test(v),
      'STORAGE_CONNECTION_STRING ser inte ut som en anslutningssträng till Azure Storage',
    ),
    // Without a connection string: the storage account reached with Entra ID (a managed identity in
    // Azure, `az login` on a laptop) through @azure/identity's DefaultAzureCredential.
    STORAGE_ACCOUNT_NAME: optionalText.refine(
      (v) => v === undefined || /^[a-z0-9]{3,24}$/.test(v),
      'STORAGE_ACCOUNT_NAME ska vara lagringskontots namn: 3–24 gemener och siffror, t.ex. norrbusdevst',
    ),
    STORAGE_TABLE_ENDPOINT: endpointUrl('STORAGE_TABLE_ENDPOINT'),
    // The client id of the user-assigned managed identity used for storage (and read by @azure/identity itself).
    AZURE_CLIENT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), 'AZURE_CLIENT_ID ska vara ett GUID (den hanterade identitetens klient-id)'),
    // Set: requests, dependencies and metrics go to Application Insights (src/telemetry); unset: no telemetry.
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.refine(
      (v) => v === undefined || isInsightsConnectionString(v),
      'APPLICATIONINSIGHTS_CONNECTION_STRING ska vara anslutningssträngen från Application Insights (InstrumentationKey=<GUID>;IngestionEndpoint=https://…)',
    ),
    STORAGE_TABLE_PREFIX: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,29}$/, 'STORAGE_TABLE_PREFIX ska börja med en bokstav och bara innehålla bokstäver och siffror (högst 30)')
      .default('Norrbus'),
    AZURITE_TABLE_PORT: port('AZURITE_TABLE_PORT', 10002),
    AZURITE_LOCATION: z.string().trim().min(1).default('.azurite'),
    PLAYGROUND_PORT: port('PLAYGROUND_PORT', 56150),
    REMINDER_INTERVAL_SECONDS: z.coerce
      .number({ invalid_type_error: 'REMINDER_INTERVAL_SECONDS måste vara ett tal (sekunder)' })
      .min(0, 'REMINDER_INTERVAL_SECONDS måste vara 0 (av) eller mer')
      .max(86_400, 'REMINDER_INTERVAL_SECONDS får vara högst 86400')
      .default(60),
    REMINDER_WINDOW: z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3])-([01]?\d|2[0-4])$/, 'REMINDER_WINDOW ska vara timmar som 8-17 (från-till, Europe/Stockholm)')
      .refine((v) => Number(v.split('-')[0]) < Number(v.split('-')[1]), 'REMINDER_WINDOW: starttimmen måste vara före sluttimmen')
      .default('8-17'),
    DEVIATION_ANALYSIS_DAYS: z.coerce
      .number({ invalid_type_error: 'DEVIATION_ANALYSIS_DAYS måste vara ett antal dagar' })
      .int('DEVIATION_ANALYSIS_DAYS måste vara ett helt antal dagar')
      .min(1, 'DEVIATION_ANALYSIS_DAYS måste vara minst 1')
      .max(365, 'DEVIATION_ANALYSIS_DAYS får vara högst 365')
      .default(60),
    FORUM_DIGEST_HOUR: z.coerce
      .number({ invalid_type_error: 'FORUM_DIGEST_HOUR måste vara en timme (0–23)' })
      .int('FORUM_DIGEST_HOUR måste vara en hel timme')
      .min(0, 'FORUM_DIGEST_HOUR måste vara en timme (0–23)')
      .max(23, 'FORUM_DIGEST_HOUR måste vara en timme (0–23)')
      .default(9),
    CONNECTOR_TIMEOUT_SECONDS: seconds('CONNECTOR_TIMEOUT_SECONDS', 0.5, 60, 5),
    SEND_GIVE_UP_HOURS: seconds('SEND_GIVE_UP_HOURS', 0.01, 24 * 14, 24),
    SHUTDOWN_SECONDS: seconds('SHUTDOWN_SECONDS', 0, 300, 10),
    RETENTION_DAYS: days('RETENTION_DAYS', 1, 3650, 90),
    // Local practice (lokal rutin), not the agreements' rules: reply times and the acute meeting's limit.
    REPLY_DAYS: days('REPLY_DAYS', 1, 10, DEFAULT_LOCAL_PRACTICE.replyDays),
    URGENT_REPLY_DAYS: days('URGENT_REPLY_DAYS', 1, 5, DEFAULT_LOCAL_PRACTICE.urgentReplyDays),
    URGENT_MEETING_DAYS: days('URGENT_MEETING_DAYS', 1, 10, DEFAULT_LOCAL_PRACTICE.urgentMeetingDays),
    AUDIT_RETENTION_DAYS: days('AUDIT_RETENTION_DAYS', 30, 36500, 730),
    OUTBOX_INTERVAL_SECONDS: z.coerce
      .number({ invalid_type_error: 'OUTBOX_INTERVAL_SECONDS måste vara ett tal (sekunder)' })
      .min(0.1, 'OUTBOX_INTERVAL_SECONDS måste vara minst 0.1')
      .max(3600, 'OUTBOX_INTERVAL_SECONDS får vara högst 3600')
      .default(2),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      errorMap: () => ({ message: 'LOG_LEVEL ska vara fatal, error, warn, info, debug, trace eller silent' }),
    }).default('info'),
    BOT_DOMAIN: optionalText.refine(
      (v) => v === undefined || /^[a-z0-9.-]+(:\d+)?$/i.test(v),
      'BOT_DOMAIN ska vara ett värdnamn utan schema, t.ex. norrbus-dev.azurewebsites.net',
    ),
    TEAMS_APP_ID: optionalText.refine((v) => v === undefined || GUID.test(v), 'TEAMS_APP_ID ska vara ett GUID'),
    APP_NAME_SUFFIX: z.string().trim().default(''),
  })
  .superRefine((env, ctx) => {
    if (!env.BOT_ID && !isLoopbackHost(env.BOT_HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_HOST'],
        message: `BOT_HOST måste vara 127.0.0.1 (eller localhost) när BOT_ID saknas: utan autentisering lyssnar boten bara lokalt`,
      });
    }
    if (!env.BOT_ID && (env.BOT_OPENID_METADATA_URL || env.BOT_TOKEN_ISSUER)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_OPENID_METADATA_URL'],
        message: 'BOT_OPENID_METADATA_URL och BOT_TOKEN_ISSUER gäller bara när BOT_ID är satt',
      });
    }
    if (env.BOT_ID && !env.BOT_PASSWORD && env.BOT_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['BOT_PASSWORD'], message: 'BOT_PASSWORD krävs när BOT_ID är satt' });
    }
    if (env.BOT_TYPE === 'UserAssignedMSI') {
      if (!env.BOT_ID) {
        ctx.addIssue({ code: 'custom', path: ['BOT_ID'], message: 'BOT_TYPE=UserAssignedMSI kräver BOT_ID: den användartilldelade hanterade identitetens klient-id' });
      }
      if (env.BOT_PASSWORD) {
        ctx.addIssue({ code: 'custom', path: ['BOT_PASSWORD'], message: 'BOT_PASSWORD ska vara tomt när BOT_TYPE=UserAssignedMSI: boten loggar in som den hanterade identiteten, utan lösenord' });
      }
      if (!env.BOT_TENANT_ID) {
        ctx.addIssue({ code: 'custom', path: ['BOT_TENANT_ID'], message: 'BOT_TENANT_ID krävs när BOT_TYPE=UserAssignedMSI: tenanten där den hanterade identiteten finns' });
      }
    }
    if (env.STORAGE_CONNECTION_STRING && (env.STORAGE_ACCOUNT_NAME || env.STORAGE_TABLE_ENDPOINT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['STORAGE_ACCOUNT_NAME'],
        message: 'Ange antingen STORAGE_CONNECTION_STRING eller STORAGE_ACCOUNT_NAME/STORAGE_TABLE_ENDPOINT (hanterad identitet), inte båda',
      });
    }
    if (env.URGENT_REPLY_DAYS > env.URGENT_MEETING_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['URGENT_REPLY_DAYS'], message: 'URGENT_REPLY_DAYS får inte vara längre än URGENT_MEETING_DAYS: svaret ska komma före det akuta mötet' });
    }
    if (env.BOT_TYPE === 'SingleTenant' && env.BOT_ID && !env.BOT_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['BOT_TENANT_ID'], message: 'BOT_TENANT_ID krävs för en SingleTenant-bot' });
    }
  });

export type Env = z.infer<typeof schema>;

/** Every variable the bot reads, taken from the schema (infra/azure.bicep's app settings are tested against it). */
export const CONFIG_VARIABLES = Object.keys(schema.innerType().shape) as (keyof Env & string)[];

/** An Application Insights connection string: an instrumentation key, and endpoints over https (or http to loopback, for tests). */
function isInsightsConnectionString(value: string): boolean {
  const parts = new Map(
    value
      .split(';')
      .filter((p) => p.trim() !== '')
      .map((p) => {
        const at = p.indexOf('=');
        return [p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()] as const;
      }),
  );
  if (!GUID.test(parts.get('instrumentationkey') ?? '')) return false;
  return [...parts].every(([key, v]) => !key.endsWith('endpoint') || isSecureOrLoopbackUrl(v));
}

/** Configuration of one running bot, derived from the environment. */
export interface Config {
  env: string;
  bot: {
    host: string;
    port: number;
    /** Absent locally: the Agents Playground talks to the bot without authentication. */
    auth?: {
      appId: string;
      password?: string;
      tenantId?: string;
      type: Env['BOT_TYPE'];
      /** Overrides of where incoming tokens are checked; absent: the Bot Framework's own. */
      openIdMetadataUrl?: string;
      tokenIssuer?: string;
    };
  };
  /** The tenants that may use the bot, and what each may act as. */
  organisations: OrganisationDirectory;
  /** The länsdelar (LANSDELAR): which municipalities' deviations reach which samverkansgrupp. */
  county: County;
  /**
   * Where the bot may send: loopback only without authentication (the Agents Playground), else
   * https to these Teams service hosts (and their subdomains).
   */
  serviceHosts: { loopbackOnly: true } | { loopbackOnly: false; hosts: string[] };
  /**
   * Table Storage: a connection string (Azurite, or an account key), or else an account reached with
   * Entra ID (`account`: DefaultAzureCredential, the managed identity `clientId` in Azure).
   */
  storage: { connectionString?: string; account?: { endpoint: string; clientId?: string }; tablePrefix: string };
  /** Application Insights (src/telemetry); absent: no telemetry is collected and its packages are never loaded. */
  telemetry: { connectionString?: string };
  azurite: { tablePort: number; location: string };
  playground: { port: number };
  /** How often unfinished sends (a retry, or work left by a crashed instance) are tried again. */
  outboxIntervalMs: number;
  /**
   * Calls to Teams: each gets `timeoutMs` (no retries hidden below it); a send still failing after
   * `giveUpMs` is marked failed and the convener told.
   */
  connector: { timeoutMs: number; giveUpMs: number };
  /** How long SIGTERM waits for turns in flight before the bot exits. */
  shutdownMs: number;
  /** Days a closed or cancelled case keeps its details, and days the audit trail is kept. */
  retention: { caseDays: number; auditDays: number };
  /** Days the deviating party has to analyse a deviation report. */
  deviationAnalysisDays: number;
  /** The time limits that are local practice, not the agreements' rules. */
  localPractice: LocalPractice;
  /** The reminder pass: how often it runs in the bot (0: never; `norrbus tick` runs it too), and when it may post. */
  reminders: { intervalMs: number; window: { startHour: number; endHour: number }; leaseMs: number; digestHour: number };
  logLevel: Env['LOG_LEVEL'];
  teamsApp: { id?: string; nameSuffix: string; botDomain?: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Felaktig konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `env/.env.<name>`; a missing file is an error, since a misspelt environment must not start. */
export function readEnvFile(envName: string, root = projectRoot()): Record<string, string> {
  const file = path.join(root, 'env', `.env.${envName}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError([`Miljöfilen ${path.relative(root, file)} finns inte (NORRBUS_ENV=${envName})`]);
  }
  return parseEnv(text) as Record<string, string>;
}

/**
 * Validates the variables (file values first, the process environment overrides them) and returns
 * the configuration, or throws a ConfigError naming every bad value.
 */
export function parseConfig(vars: Record<string, string | undefined>, root = projectRoot()): Config {
  const result = schema.safeParse(vars);
  // The directory is read even when other values are wrong, so one start names every problem.
  const directoryPath = vars.ORGANISATION_DIRECTORY?.trim();
  const read = directoryPath ? readDirectory(directoryPath, root) : undefined;
  const county = readCounty(vars.LANSDELAR?.trim() || undefined, root);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => i.message)),
    ...(read && 'problems' in read ? read.problems : []),
    ...('problems' in county ? county.problems : []),
  ];
  if (!result.success || !read || 'problems' in read || 'problems' in county) throw new ConfigError(problems);
  const e = result.data;
  return {
    env: e.NORRBUS_ENV,
    bot: {
      host: e.BOT_HOST,
      port: e.BOT_PORT,
      auth: e.BOT_ID
        ? {
            appId: e.BOT_ID,
            password: e.BOT_PASSWORD,
            tenantId: e.BOT_TENANT_ID,
            type: e.BOT_TYPE,
            openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
            tokenIssuer: e.BOT_TOKEN_ISSUER,
          }
        : undefined,
    },
    organisations: read.directory,
    county: county.county,
    serviceHosts: e.BOT_ID ? { loopbackOnly: false, hosts: e.TEAMS_SERVICE_HOSTS } : { loopbackOnly: true },
    storage: {
      connectionString: e.STORAGE_CONNECTION_STRING,
      account:
        !e.STORAGE_CONNECTION_STRING && (e.STORAGE_TABLE_ENDPOINT || e.STORAGE_ACCOUNT_NAME)
          ? {
              endpoint: e.STORAGE_TABLE_ENDPOINT ?? `https://${e.STORAGE_ACCOUNT_NAME}.table.core.windows.net`,
              clientId: e.AZURE_CLIENT_ID ?? (e.BOT_TYPE === 'UserAssignedMSI' ? e.BOT_ID : undefined),
            }
          : undefined,
      tablePrefix: e.STORAGE_TABLE_PREFIX,
    },
    telemetry: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING },
    azurite: { tablePort: e.AZURITE_TABLE_PORT, location: e.AZURITE_LOCATION },
    playground: { port: e.PLAYGROUND_PORT },
    outboxIntervalMs: Math.round(e.OUTBOX_INTERVAL_SECONDS * 1000),
    connector: { timeoutMs: Math.round(e.CONNECTOR_TIMEOUT_SECONDS * 1000), giveUpMs: Math.round(e.SEND_GIVE_UP_HOURS * 3_600_000) },
    shutdownMs: Math.round(e.SHUTDOWN_SECONDS * 1000),
    retention: { caseDays: e.RETENTION_DAYS, auditDays: e.AUDIT_RETENTION_DAYS },
    deviationAnalysisDays: e.DEVIATION_ANALYSIS_DAYS,
    localPractice: { replyDays: e.REPLY_DAYS, urgentReplyDays: e.URGENT_REPLY_DAYS, urgentMeetingDays: e.URGENT_MEETING_DAYS },
    reminders: {
      intervalMs: Math.round(e.REMINDER_INTERVAL_SECONDS * 1000),
      window: { startHour: Number(e.REMINDER_WINDOW.split('-')[0]), endHour: Number(e.REMINDER_WINDOW.split('-')[1]) },
      leaseMs: 120_000,
      digestHour: e.FORUM_DIGEST_HOUR,
    },
    logLevel: e.LOG_LEVEL,
    teamsApp: { id: e.TEAMS_APP_ID, nameSuffix: e.APP_NAME_SUFFIX, botDomain: e.BOT_DOMAIN },
  };
}

/** The organisation directory, or what is wrong with it (an empty one is wrong too: nobody could use the bot). */
function readDirectory(relativePath: string, root: string): { directory: OrganisationDirectory } | { problems: string[] } {
  const read = readOrganisationDirectory(relativePath, root);
  if ('directory' in read && read.directory.size === 0) {
    return { problems: [`ORGANISATION_DIRECTORY (${relativePath}): katalogen är tom, ingen organisation kan använda boten`] };
  }
  return read;
}

/** The configuration for `NORRBUS_ENV` (default `local`), from its env file and the process environment. */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env, root = projectRoot()): Config {
  const envName = processEnv.NORRBUS_ENV?.trim() || 'local';
  if (!/^[a-z][a-z0-9-]*$/.test(envName)) {
    throw new ConfigError([`NORRBUS_ENV ska vara ett miljönamn, t.ex. local eller dev (fick "${envName.slice(0, 40)}")`]);
  }
  const fromFile = readEnvFile(envName, root);
  return parseConfig({ ...fromFile, ...definedOnly(processEnv), NORRBUS_ENV: envName }, root);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
