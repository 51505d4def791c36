import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/app';
import { requireServices } from './support/services';

/**
 * Two API processes behind one load balancer must enforce one public rate limit, not one each:
 * the throttler counts in Redis. Two Nest applications here stand for the two replicas.
 */
describe('public rate limit shared by API replicas (Redis)', () => {
  const saved = { limit: process.env.INTAKE_RATE_LIMIT_PER_MINUTE, prefix: process.env.MESSAGE_QUEUE_PREFIX };
  const replicas: INestApplication[] = [];

  beforeAll(async () => {
    await requireServices();
    // A key space of its own, so no other run's counts (kept 60 s in Redis) reach this one.
    process.env.MESSAGE_QUEUE_PREFIX = `walt-ratelimit-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 2; i++) {
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      const app = configureApp(moduleRef.createNestApplication({ logger: ['error'] }));
      replicas.push(await app.init());
    }
  });

  afterAll(async () => {
    for (const app of replicas) await app.close();
    process.env.INTAKE_RATE_LIMIT_PER_MINUTE = saved.limit;
    process.env.MESSAGE_QUEUE_PREFIX = saved.prefix;
  });

  it('6 requests per minute allowed: 3 on each replica pass, the 7th is 429 on either', async () => {
    process.env.INTAKE_RATE_LIMIT_PER_MINUTE = '6';
    const postalCode = (app: INestApplication) => request(app.getHttpServer()).get('/v1/intake/postal-codes/75011');
    for (let i = 0; i < 3; i++) {
      await postalCode(replicas[0]).expect(200);
      await postalCode(replicas[1]).expect(200);
    }
    const refused = await postalCode(replicas[1]).expect(429);
    expect(refused.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    await postalCode(replicas[0]).expect(429);
  });

  it('behind a reverse proxy (TRUST_PROXY=1) the limit is per client from X-Forwarded-For; without it the header is ignored', async () => {
    process.env.INTAKE_RATE_LIMIT_PER_MINUTE = '6'; // the loopback address used its 6 above
    const viaProxy = (app: INestApplication, client: string) =>
      request(app.getHttpServer()).get('/v1/intake/postal-codes/75011').set('X-Forwarded-For', client);
    await viaProxy(replicas[0], '203.0.113.7').expect(429); // not trusted: still the loopback's bucket
    process.env.TRUST_PROXY = '1';
    try {
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      replicas.push(await configureApp(moduleRef.createNestApplication({ logger: ['error'] })).init());
    } finally {
      delete process.env.TRUST_PROXY;
    }
    const proxied = replicas[2];
    for (let i = 0; i < 6; i++) await viaProxy(proxied, '203.0.113.7').expect(200);
    await viaProxy(proxied, '203.0.113.7').expect(429);
    await viaProxy(proxied, '203.0.113.8').expect(200); // another young person behind the same proxy
  });
});
