import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from '@temporalio/client';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CaseNotesRepository, dataSourceOptions, JourneyEventsRepository, PoliciesRepository } from '@walt/persistence';
import { JourneyStarter, lazyClientConnection, temporalClient, temporalConfig } from '@walt/temporal';
import { Clock } from '../common/clock';
import { JourneyCommands } from './journey-commands';
import { REDIS, TEMPORAL_CLIENT } from './tokens';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * PostgreSQL, Temporal and Redis clients, shared by every feature module. Temporal and Redis
 * connect lazily so the API comes up and /ready can say which dependency is down.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({ useFactory: () => ({ ...dataSourceOptions(), retryAttempts: 3, retryDelay: 1000 }) })],
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      useFactory: () => {
        const config = temporalConfig();
        return temporalClient(lazyClientConnection(config), config);
      },
    },
    {
      provide: REDIS,
      useFactory: () =>
        new Redis(process.env.REDIS_URL || DEFAULT_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false }),
    },
    {
      provide: JourneyStarter,
      inject: [TEMPORAL_CLIENT, DataSource],
      useFactory: (client: Client, dataSource: DataSource) => new JourneyStarter(client, dataSource),
    },
    JourneyCommands,
    Clock,
    {
      provide: JourneyEventsRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new JourneyEventsRepository(dataSource),
    },
    {
      provide: CaseNotesRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new CaseNotesRepository(dataSource),
    },
    {
      provide: PoliciesRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new PoliciesRepository(dataSource),
    },
  ],
  exports: [
    Clock,
    TEMPORAL_CLIENT,
    REDIS,
    JourneyStarter,
    JourneyEventsRepository,
    CaseNotesRepository,
    PoliciesRepository,
    JourneyCommands,
  ],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.temporal.connection.close();
  }
}
