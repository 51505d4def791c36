import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { CaseEntity } from './entities/case.entity';
import { JourneyEventEntity } from './entities/journey-event.entity';
import { PartnerEntity } from './entities/partner.entity';
import { PolicyEntity } from './entities/policy.entity';
import { YouthEntity } from './entities/youth.entity';
import { CaseNoteEntity } from './entities/case-note.entity';
import { CheckInEntity } from './entities/check-in.entity';
import { OutboundMessageEntity } from './entities/outbound-message.entity';
import { ReferralEntity } from './entities/referral.entity';
import { InitialSchema1764170000000 } from './migrations/1764170000000-initial-schema';
import { ReferralsCheckInsMessages1764180000000 } from './migrations/1764180000000-referrals-check-ins-messages';
import { ReportIndexes1764190000000 } from './migrations/1764190000000-report-indexes';
import { MessageOutbox1764200000000 } from './migrations/1764200000000-message-outbox';
import { PartnerDirectoryVersion1764210000000 } from './migrations/1764210000000-partner-directory-version';
import { ProjectionSequence1796227668449 } from './migrations/1796227668449-projection-sequence';
import { ChatIntake1796229217322 } from './migrations/1796229217322-chat-intake';
import { PartnerPlaces1796229770793 } from './migrations/1796229770793-partner-places';
import { NudgeExperiment1796300000000 } from './migrations/1796300000000-nudge-experiment';
import { UsersSessions1796400000000 } from './migrations/1796400000000-users-sessions';
import { IdempotencyKeys1796410000000 } from './migrations/1796410000000-idempotency-keys';
import { AccessLog1796440000000 } from './migrations/1796440000000-access-log';
import { Retention1796460000000 } from './migrations/1796460000000-retention';
import { Anonymisation1796460000001 } from './migrations/1796460000001-anonymisation';
import { PartnerMonthLoad1796500000000 } from './migrations/1796500000000-partner-month-load';
import { ReportFacts1796500000001 } from './migrations/1796500000001-report-facts';
import { ChatConversationEntity } from './entities/chat-conversation.entity';
import { ChatDraftEntity } from './entities/chat-draft.entity';
import { ChatMessageEntity } from './entities/chat-message.entity';

export const ENTITIES = [
  YouthEntity,
  CaseEntity,
  JourneyEventEntity,
  PartnerEntity,
  PolicyEntity,
  ReferralEntity,
  CheckInEntity,
  OutboundMessageEntity,
  CaseNoteEntity,
  ChatConversationEntity,
  ChatMessageEntity,
  ChatDraftEntity,
];
/** Listed explicitly (no globs) so the same list works from ts-jest and from dist/. */
export const MIGRATIONS = [
  InitialSchema1764170000000,
  ReferralsCheckInsMessages1764180000000,
  ReportIndexes1764190000000,
  MessageOutbox1764200000000,
  PartnerDirectoryVersion1764210000000,
  ProjectionSequence1796227668449,
  ChatIntake1796229217322,
  PartnerPlaces1796229770793,
  NudgeExperiment1796300000000,
  UsersSessions1796400000000,
  IdempotencyKeys1796410000000,
  AccessLog1796440000000,
  Retention1796460000000,
  Anonymisation1796460000001,
  PartnerMonthLoad1796500000000,
  ReportFacts1796500000001,
];

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/walt';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** One definition of the connection, for the Nest module and for plain processes alike. */
export function dataSourceOptions(url = databaseUrl()): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    extra: { max: Number(process.env.DATABASE_POOL_SIZE || 10) },
  };
}

export function createDataSource(url = databaseUrl()): DataSource {
  return new DataSource(dataSourceOptions(url));
}

/** Connects, failing fast with what to do instead of a stack trace. */
export async function initializeDataSource(url = databaseUrl()): Promise<DataSource> {
  const dataSource = createDataSource(url);
  try {
    return await dataSource.initialize();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${url.replace(/\/\/[^@]*@/, '//***@')}: ${(err as Error).message}. ` +
        'Start it (Debian: `pg_ctlcluster 15 main start`) or set DATABASE_URL.',
    );
  }
}
