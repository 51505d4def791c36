import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { IdempotencyKeysRepository } from '@walt/persistence';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** `Idempotency-Key` on every authenticated or signed-link write (API.md conventions). */
@Module({
  providers: [
    {
      provide: IdempotencyKeysRepository,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new IdempotencyKeysRepository(dataSource),
    },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class IdempotencyModule {}
