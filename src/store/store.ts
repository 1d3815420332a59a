import { RestError, TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { AuditRepository } from './auditRepository';
import { CaseReferenceRepository } from './caseReferenceRepository';
import { CommitmentRepository } from './commitmentRepository';
import { InstallationRepository } from './installationRepository';
import { IntakeChannelRepository } from './intakeChannelRepository';
import { MeetingRepository } from './meetingRepository';
import { OutboxRepository } from './outboxRepository';
import { PostRepository } from './postRepository';
import { DeviationRepository } from './deviationRepository';
import { DigestRepository } from './digestRepository';
import { DisagreementRepository } from './disagreementRepository';
import { ReminderRepository } from './reminderRepository';
import { StatisticsRepository } from './statisticsRepository';
import { ThreadRepository } from './threadRepository';
import { UserMeetingRepository } from './userMeetingRepository';

export interface StoreOptions {
  /** A connection string (Azurite, an account key); or else `account`. */
  connectionString?: string;
  /** The account's table endpoint, reached with an Entra ID credential (a managed identity in Azure). */
  account?: { endpoint: string; credential: TokenCredential };
  /** Prepended to every table name, so several environments (or tests) can share one account. */
  tablePrefix: string;
  /** How long storage may take before a call fails (defaults: STORAGE_LIMITS). */
  limits?: Partial<StorageLimits>;
}

/**
 * How a storage call behaves when storage is slow or away. A turn must answer Teams within ~5 s, so
 * a call fails fast (about 0.5–1 s when the endpoint refuses connections, at most `deadlineMs` when
 * it hangs) instead of the SDK's default (retries over 6 s and more); the few short retries still
 * ride out a blip such as a dropped keep-alive connection or one 503.
 */
export interface StorageLimits {
  /** Retries after the first try, on network errors, timeouts, 408 and 5xx (429/503 with Retry-After too). */
  maxRetries: number;
  /** The first retry waits about this long (jittered), each next one twice as long … */
  retryDelayMs: number;
  /** … but never longer than this. */
  maxRetryDelayMs: number;
  /** One HTTP try that has not answered by then is abandoned (and retried). */
  attemptTimeoutMs: number;
  /** The whole call, retries included, fails after this long. */
  deadlineMs: number;
}

export const STORAGE_LIMITS: StorageLimits = { maxRetries: 3, retryDelayMs: 150, maxRetryDelayMs: 600, attemptTimeoutMs: 1_500, deadlineMs: 3_000 };

/** All repositories over one storage account, with the tables created. */
export interface Store {
  installations: InstallationRepository;
  intakeChannels: IntakeChannelRepository;
  audit: AuditRepository;
  meetings: MeetingRepository;
  caseReferences: CaseReferenceRepository;
  outbox: OutboxRepository;
  userMeetings: UserMeetingRepository;
  commitments: CommitmentRepository;
  threads: ThreadRepository;
  reminders: ReminderRepository;
  deviations: DeviationRepository;
  digests: DigestRepository;
  disagreements: DisagreementRepository;
  /** What erased cases left for the yearly follow-up. */
  statistics: StatisticsRepository;
  posts: PostRepository;
  /** Resolves when the table service answers within two seconds; used by the health check. */
  ping(): Promise<void>;
}

export const TABLES = ['Installations', 'IntakeChannels', 'Audit', 'Meetings', 'CaseReferences', 'Outbox', 'UserMeetings', 'Commitments', 'Threads', 'Reminders', 'Deviations', 'Digests', 'Disagreements', 'Posts', 'Statistics'] as const;

type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];
type PipelineRequest = Parameters<PipelinePolicy['sendRequest']>[0];

/** Set on every error that came out of a storage call, so a turn's error handler can tell it from others. */
const FROM_STORAGE = Symbol.for('norrbus.storageError');

/** A RestError the SDK's retry strategy treats like a network timeout (it retries ETIMEDOUT). */
function timeoutError(message: string, request: PipelineRequest): RestError {
  return new RestError(message, { code: 'ETIMEDOUT', request });
}

/**
 * Runs `next` with the request's abort signal replaced by one that also fires after `ms`; when that
 * timer (and not the caller) ended it, throws a timeout RestError instead of the AbortError.
 */
async function withTimeout<T>(request: PipelineRequest, ms: number, what: string, next: () => Promise<T>): Promise<T> {
  const caller = request.abortSignal;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const onAbort = () => controller.abort();
  if (caller?.aborted) controller.abort();
  caller?.addEventListener('abort', onAbort);
  request.abortSignal = controller.signal;
  try {
    return await next();
  } catch (error) {
    if (controller.signal.aborted && !caller?.aborted) throw timeoutError(`storage ${what} did not answer within ${ms} ms`, request);
    throw error;
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onAbort);
    request.abortSignal = caller;
  }
}

/** Per call (outside the retries): the deadline, and the mark on whatever error comes out. */
function deadlinePolicy(ms: number): PipelinePolicy {
  return {
    name: 'norrbusStorageDeadline',
    async sendRequest(request, next) {
      try {
        return await withTimeout(request, ms, 'call', () => next(request));
      } catch (error) {
        if (typeof error === 'object' && error !== null && !(FROM_STORAGE in error) && Object.isExtensible(error)) {
          Object.defineProperty(error, FROM_STORAGE, { value: true });
        }
        throw error;
      }
    },
  };
}

/** Per try (inside the retries): a try that hangs becomes a timeout, which the retry policy retries. */
function attemptTimeoutPolicy(ms: number): PipelinePolicy {
  return { name: 'norrbusStorageAttemptTimeout', sendRequest: (request, next) => withTimeout(request, ms, 'request', () => next(request)) };
}

const UNAVAILABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * True when a storage call failed because storage could not be reached or did not cope (network
 * error, timeout, 408, 429, 5xx), as opposed to an answer such as 404, 409 or 412 or a bug of ours.
 * Follows `cause`, for errors that wrap it.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(FROM_STORAGE in e)) continue;
    const status = (e as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number' || status === 0) return true;
    if (UNAVAILABLE_STATUS.has(status)) return true;
  }
  return false;
}

function clientOptions(connection: string, limits: StorageLimits): TableServiceClientOptions {
  return {
    allowInsecureConnection: /https?:\/\/|UseDevelopmentStorage=true/i.test(connection) && !/https:\/\//i.test(connection),
    retryOptions: { maxRetries: limits.maxRetries, retryDelayInMs: limits.retryDelayMs, maxRetryDelayInMs: limits.maxRetryDelayMs },
    additionalPolicies: [
      { policy: deadlinePolicy(limits.deadlineMs), position: 'perCall' },
      { policy: attemptTimeoutPolicy(limits.attemptTimeoutMs), position: 'perRetry' },
    ],
  };
}

/**
 * How to reach the configured storage: its connection string, or its account with
 * DefaultAzureCredential (the user-assigned managed identity `clientId` in Azure, `az login` or the
 * AZURE_* variables elsewhere). @azure/identity is loaded only for the latter.
 */
export function storageConnection(storage: { connectionString?: string; account?: { endpoint: string; clientId?: string } }): Pick<StoreOptions, 'connectionString' | 'account'> | undefined {
  if (storage.connectionString) return { connectionString: storage.connectionString };
  if (!storage.account) return undefined;
  const { DefaultAzureCredential } = require('@azure/identity') as typeof import('@azure/identity');
  const credential = new DefaultAzureCredential(storage.account.clientId ? { managedIdentityClientId: storage.account.clientId } : {});
  return { account: { endpoint: storage.account.endpoint, credential } };
}

export async function openStore({ connectionString, account, tablePrefix, limits }: StoreOptions): Promise<Store> {
  if (!connectionString && !account) throw new Error('openStore needs a connection string or an account');
  const options = clientOptions(connectionString ?? account!.endpoint, { ...STORAGE_LIMITS, ...limits });
  const client = (table: string) =>
    connectionString ? TableClient.fromConnectionString(connectionString, table, options) : new TableClient(account!.endpoint, table, account!.credential, options);
  const tables = Object.fromEntries(TABLES.map((name) => [name, client(`${tablePrefix}${name}`)])) as Record<(typeof TABLES)[number], TableClient>;
  await Promise.all(Object.values(tables).map((t) => t.createTable()));
  const service = connectionString ? TableServiceClient.fromConnectionString(connectionString, options) : new TableServiceClient(account!.endpoint, account!.credential, options);
  return {
    installations: new InstallationRepository(tables.Installations),
    intakeChannels: new IntakeChannelRepository(tables.IntakeChannels),
    audit: new AuditRepository(tables.Audit),
    meetings: new MeetingRepository(tables.Meetings),
    caseReferences: new CaseReferenceRepository(tables.CaseReferences),
    outbox: new OutboxRepository(tables.Outbox),
    userMeetings: new UserMeetingRepository(tables.UserMeetings),
    commitments: new CommitmentRepository(tables.Commitments),
    threads: new ThreadRepository(tables.Threads),
    reminders: new ReminderRepository(tables.Reminders),
    deviations: new DeviationRepository(tables.Deviations),
    digests: new DigestRepository(tables.Digests),
    disagreements: new DisagreementRepository(tables.Disagreements),
    statistics: new StatisticsRepository(tables.Statistics),
    posts: new PostRepository(tables.Posts),
    async ping() {
      await service.listTables({ abortSignal: AbortSignal.timeout(2_000) }).byPage({ maxPageSize: 1 }).next();
    },
  };
}
