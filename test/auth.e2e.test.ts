import { randomUUID } from 'node:crypto';
import { apiLogger } from '../apps/api/src/app';
import { signToken } from '@walt/auth';
import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

describe('auth, reads and operations', () => {
  let sys: TestSystem;
  let caseId: string;
  beforeAll(async () => {
    sys = await startTestSystem();
    caseId = (
      await sys
        .http()
        .post('/v1/intake/forms')
        .send(aForm({ postalCode: '97110' }))
        .expect(201)
    ).body.caseId;
  });
  afterAll(async () => sys?.stop());

  it('no token → 401 in the error shape', async () => {
    const res = await sys.http().get(`/v1/cases/${caseId}`).expect(401);
    expect(res.body).toEqual({ error: 'Unauthorized', message: expect.any(String), details: [] });
  });

  it('a token signed with another secret, or expired → 401', async () => {
    const forged = signToken({ sub: 'x', role: 'admin' }, 'another-secret-of-enough-length');
    await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${forged}`).expect(401);
    // Past the clock skew allowance (CLOCK_SKEW_SECONDS), not merely past `exp`.
    const expired = signToken({ sub: 'x', role: 'admin' }, undefined, -120);
    await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${expired}`).expect(401);
  });

  it('a partner token on a case route → 403', async () => {
    const res = await sys
      .http()
      .get(`/v1/cases/${caseId}/timeline`)
      .set('Authorization', `Bearer ${sys.token('partner', { partnerId: 'ml-971' })}`)
      .expect(403);
    expect(res.body.error).toBe('Forbidden');
  });

  it('managers and admins read cases; a counsellor outside the case territory gets 404', async () => {
    for (const role of ['manager', 'admin'] as const) {
      await sys
        .http()
        .get(`/v1/cases/${caseId}`)
        .set('Authorization', `Bearer ${sys.token(role)}`)
        .expect(200);
    }
    const local = sys.token('counsellor', { territories: ['971'] });
    await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${local}`).expect(200);
    const elsewhere = sys.token('counsellor', { territories: ['75'] });
    const res = await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${elsewhere}`).expect(404);
    expect(res.body.error).toBe('NotFound');
  });

  it('an unknown case → 404, a malformed id → 400', async () => {
    const admin = `Bearer ${sys.token('admin')}`;
    await sys.http().get(`/v1/cases/${randomUUID()}`).set('Authorization', admin).expect(404);
    const res = await sys.http().get('/v1/cases/not-a-uuid').set('Authorization', admin).expect(400);
    expect(res.body.details).toEqual([{ field: 'caseId', message: 'must be a UUID' }]);
  });

  it('/health, /ready and the OpenAPI document', async () => {
    await sys.http().get('/health').expect(200, { status: 'ok' });
    const ready = await sys.http().get('/ready').expect(200);
    expect(ready.body.checks).toEqual({ postgres: 'up', redis: 'up', temporal: 'up', queues: 'up' });
    expect(ready.body.queues['outbound-email']).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
    });
    const doc = (await sys.http().get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/intake/forms', '/v1/cases/{caseId}', '/v1/cases/{caseId}/timeline', '/health', '/ready']),
    );
    await sys.http().get('/docs').expect(200);
  });

  it('/metrics: requests by route template and status, latency, queue depths, journeys by stage', async () => {
    const caseId = randomUUID();
    await sys.http().get(`/v1/cases/${caseId}`).expect(401);
    await sys
      .http()
      .get(`/v1/cases/${caseId}`)
      .set('Authorization', `Bearer ${sys.token('admin')}`)
      .expect(404);
    await sys.http().get('/no/such/path').expect(404);
    const metrics = (
      await sys
        .http()
        .get('/metrics')
        .expect(200)
        .expect('Content-Type', /text\/plain/)
    ).text;
    expect(metrics).toMatch(/walt_http_requests_total\{method="GET",route="\/v1\/cases\/:caseId",status="401"\} [1-9]/);
    expect(metrics).toMatch(/walt_http_requests_total\{method="GET",route="\/v1\/cases\/:caseId",status="404"\} [1-9]/);
    expect(metrics).toMatch(/walt_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(metrics).toMatch(/walt_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/v1\/cases\/:caseId",status="404"\}/);
    expect(metrics).toMatch(/walt_queue_jobs\{queue="outbound-email",state="failed"\} \d+/);
    expect(metrics).toMatch(/walt_journeys\{stage="[A-Z_]+"\} \d+/);
    expect(metrics).not.toContain(caseId); // ids never become labels
  });

  it("one JSON log line per request: request id (the caller's or a new one), route template, status, case id; never the body", async () => {
    const lines: Record<string, unknown>[] = [];
    const spy = jest.spyOn(apiLogger, 'info').mockImplementation(((line: Record<string, unknown>) => void lines.push(line)) as never);
    try {
      const caseId = randomUUID();
      const read = await sys
        .http()
        .get(`/v1/cases/${caseId}`)
        .set('Authorization', `Bearer ${sys.token('admin')}`)
        .set('X-Request-Id', 'trace-123');
      expect(read.headers['x-request-id']).toBe('trace-123');
      const personal = { firstName: 'Zoé', lastName: 'Personne', email: 'zoe.personne@example.org', phone: '0612345678' };
      const refused = await sys.http().post('/v1/intake/forms?email=zoe.personne@example.org').send(personal).expect(400);
      await new Promise((r) => setImmediate(r));
      expect(lines).toEqual([
        { requestId: 'trace-123', method: 'GET', route: '/v1/cases/:caseId', status: 404, ms: expect.any(Number), caseId },
        { requestId: refused.headers['x-request-id'], method: 'POST', route: '/v1/intake/forms', status: 400, ms: expect.any(Number) },
      ]);
      expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      for (const value of Object.values(personal)) expect(JSON.stringify(lines)).not.toContain(value);
    } finally {
      spy.mockRestore();
    }
  });
});
