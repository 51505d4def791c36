import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QueueDepths } from './queue-depths';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsService, QueueDepths], exports: [MetricsService, QueueDepths] })
export class MetricsModule {}
