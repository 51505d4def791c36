import { ExecutionContext, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { PolicyChoice } from '@walt/intake';
import { PoliciesRepository } from '@walt/persistence';
import { IntakeController } from './intake.controller';
import { IntakeService } from './intake.service';
import { PostalCodesController } from './postal-codes.controller';
import { RedisThrottlerStorage } from './redis-throttler-storage';
import { REDIS } from '../infrastructure/tokens';

/** The conversation a public request is about (the chatbot's body or path), if any. */
const conversationOf = (req: { body?: { conversationId?: unknown }; params?: { conversationId?: unknown } }): string | undefined => {
  const id = req.body?.conversationId ?? req.params?.conversationId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * The public intake's rate limits (ThrottlerModule is global: the chat module's guard reads the
 * same options). Per client IP for every public route; per conversation for the chatbot's, so
 * one conversation cannot flood its workflow whatever the number of clients behind it. Counted in
 * Redis, so the limits hold across API replicas (RedisThrottlerStorage).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [REDIS],
      useFactory: (redis: Redis) => ({
        storage: new RedisThrottlerStorage(redis, process.env.MESSAGE_QUEUE_PREFIX || 'walt'),
        throttlers: [
          { ttl: 60_000, limit: () => Number(process.env.INTAKE_RATE_LIMIT_PER_MINUTE || 60) },
          {
            name: 'chatConversation',
            ttl: 60_000,
            limit: () => Number(process.env.CHAT_CONVERSATION_RATE_LIMIT_PER_MINUTE || 30),
            getTracker: (req) => conversationOf(req) ?? '',
            skipIf: (context: ExecutionContext) => !conversationOf(context.switchToHttp().getRequest()),
          },
        ],
      }),
    }),
  ],
  controllers: [IntakeController, PostalCodesController],
  providers: [
    IntakeService,
    { provide: PolicyChoice, inject: [PoliciesRepository], useFactory: (policies: PoliciesRepository) => new PolicyChoice(policies) },
  ],
})
export class IntakeModule {}
