import { TableClient, TableServiceClient } from '@azure/data-tables';
import { AuditRepository } from './auditRepository';
import { CaseReferenceRepository } from './caseReferenceRepository';
import { CommitmentRepository } from './commitmentRepository';
import { InstallationRepository } from './installationRepository';
import { IntakeChannelRepository } from './intakeChannelRepository';
import { MeetingRepository } from './meetingRepository';
import { OutboxRepository } from './outboxRepository';
import { DeviationRepository } from './deviationRepository';
import { DigestRepository } from './digestRepository';
import { DisagreementRepository } from './disagreementRepository';
import { ReminderRepository } from './reminderRepository';
import { ThreadRepository } from './threadRepository';
import { UserMeetingRepository } from './userMeetingRepository';

export interface StoreOptions {
  connectionString: string;
  /** Prepended to every table name, so several environments (or tests) can share one account. */
  tablePrefix: string;
}

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
  /** Resolves when the table service answers within two seconds; used by the health check. */
  ping(): Promise<void>;
}

const TABLES = ['Installations', 'IntakeChannels', 'Audit', 'Meetings', 'CaseReferences', 'Outbox', 'UserMeetings', 'Commitments', 'Threads', 'Reminders', 'Deviations', 'Digests', 'Disagreements'] as const;

function clientOptions(connectionString: string) {
  return { allowInsecureConnection: /https?:\/\/|UseDevelopmentStorage=true/i.test(connectionString) && !/https:\/\//i.test(connectionString) };
}

export async function openStore({ connectionString, tablePrefix }: StoreOptions): Promise<Store> {
  const options = clientOptions(connectionString);
  const tables = Object.fromEntries(
    TABLES.map((name) => [name, TableClient.fromConnectionString(connectionString, `${tablePrefix}${name}`, options)]),
  ) as Record<(typeof TABLES)[number], TableClient>;
  await Promise.all(Object.values(tables).map((t) => t.createTable()));
  const service = TableServiceClient.fromConnectionString(connectionString, options);
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
    async ping() {
      await service.listTables({ abortSignal: AbortSignal.timeout(2_000) }).byPage({ maxPageSize: 1 }).next();
    },
  };
}
