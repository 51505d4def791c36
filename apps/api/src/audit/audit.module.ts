import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AccessLogRepository } from '@walt/persistence';
import { DataSource } from 'typeorm';
import { AccessLogInterceptor } from './access-log.interceptor';
import { AuditController } from './audit.controller';

/** The access log: written by AccessLogInterceptor on routes marked @LogsAccess(), read by admins. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    { provide: AccessLogRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new AccessLogRepository(dataSource) },
    { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
  ],
  exports: [AccessLogRepository],
})
export class AuditModule {}
