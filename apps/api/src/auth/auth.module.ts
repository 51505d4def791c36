import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { UsersRepository } from '@walt/persistence';
import { AuthGuard } from './auth.guard';
import { SignInController } from './sign-in.controller';
import { SignInService } from './sign-in.service';

@Module({
  controllers: [SignInController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: UsersRepository, inject: [DataSource], useFactory: (dataSource: DataSource) => new UsersRepository(dataSource) },
    SignInService,
  ],
  exports: [UsersRepository, SignInService],
})
export class AuthModule {}
