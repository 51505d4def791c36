import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TemporalCodecController } from './temporal-codec.controller';
import { TemporalCodecCors } from './temporal-codec.cors';

@Module({ controllers: [TemporalCodecController], providers: [TemporalCodecCors] })
export class TemporalCodecModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TemporalCodecCors).forRoutes({ path: 'v1/temporal-codec/*path', method: RequestMethod.ALL });
  }
}
