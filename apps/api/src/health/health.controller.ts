import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { unavailable } from '../common/api-error';
import { REDIS, TEMPORAL_CLIENT } from '../infrastructure/tokens';
import { QueueDepth, QueueDepths } from '../metrics/queue-depths';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly queues: QueueDepths,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'The process is up' })
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'PostgreSQL, Redis, Temporal and the message queues are reachable (503 names what is not), with the queue depths',
  })
  async ready() {
    let queues: Record<string, QueueDepth> | undefined;
    const checks: Record<string, () => Promise<unknown>> = {
      postgres: () => this.dataSource.query('SELECT 1'),
      redis: async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect().catch(() => undefined);
        return this.redis.ping();
      },
      temporal: () => this.temporal.connection.workflowService.getSystemInfo({}),
      queues: async () => (queues = await this.queues.depths()),
    };
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check());
          return { name, up: true as const };
        } catch (err) {
          return { name, up: false as const, message: (err as Error).message };
        }
      }),
    );
    const down = results.filter((r) => !r.up);
    if (down.length) {
      throw unavailable(
        `Not ready: ${down.map((d) => d.name).join(', ')} unreachable.`,
        down.map((d) => ({ field: d.name, message: d.message ?? 'unreachable' })),
      );
    }
    return { status: 'ready', checks: Object.fromEntries(results.map((r) => [r.name, 'up'])), queues };
  }
}
