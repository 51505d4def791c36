import { DEFAULT_POLICY, Policy } from '@walt/domain';
import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

/** Other test files share the database: assertions are relative to the version found, never absolute. */
describe('the journey policy (admin)', () => {
  let sys: TestSystem;
  let admin: string;
  let original: Policy;

  const current = async () => (await sys.http().get('/v1/policy').set('Authorization', admin).expect(200)).body;
  const put = (body: unknown) =>
    sys
      .http()
      .put('/v1/policy')
      .set('Authorization', admin)
      .send(body as object);

  beforeAll(async () => {
    sys = await startTestSystem();
    admin = `Bearer ${sys.token('admin')}`;
    const { version: _version, ...policy } = await current();
    original = policy;
  });
  afterAll(async () => {
    // Leave the durations as found for whatever runs next (as a new version: history is kept).
    if (original) await put(original).expect(200);
    await sys?.stop();
  });

  it('GET → the current version and every field of the policy', async () => {
    const policy = await current();
    expect(policy.version).toEqual(expect.any(Number));
    expect(Object.keys(policy).sort()).toEqual(['version', ...Object.keys(DEFAULT_POLICY)].sort());
  });

  it('PUT with a partial body keeps the other fields and saves the next version', async () => {
    const before = await current();
    const res = await put({ partnerReminderAfter: 'P3D', quietHours: { start: '21:00' } }).expect(200);
    expect(res.body).toEqual({
      ...before,
      version: before.version + 1,
      partnerReminderAfter: 'P3D',
      quietHours: { start: '21:00', end: before.quietHours.end },
    });
    expect(await current()).toEqual(res.body);
    const [row] = await sys.dataSource.query('SELECT created_by FROM policies WHERE version = $1', [res.body.version]);
    expect(row.created_by).toBe('admin:test-admin');
  });

  it('a bad duration → 400 naming the field; nothing is saved', async () => {
    const before = await current();
    const res = await put({ nudgeOffsets: ['PT0S', 'two days'], referralExpiresAfter: 'P1Y' }).expect(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', message: expect.any(String) });
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'nudgeOffsets[1]', message: expect.stringMatching(/ISO 8601 duration/) },
        { field: 'referralExpiresAfter', message: expect.stringMatching(/ISO 8601 duration/) },
      ]),
    );
    expect((await current()).version).toBe(before.version);
  });

  it('rules across fields, types and unknown fields → 400 with details', async () => {
    const cases: [unknown, string][] = [
      [{ partnerReminderAfter: 'P10D', referralExpiresAfter: 'P2D' }, 'referralExpiresAfter'],
      [{ checkInOffsets: ['P90D', 'P30D'] }, 'checkInOffsets'],
      [{ maxReferralAttempts: 0 }, 'maxReferralAttempts'],
      [{ quietHours: { start: '25:00' } }, 'quietHours.start'],
      [{ quietHours: { begin: '20:00' } }, 'quietHours.begin'],
      [{ colour: 'blue' }, 'colour'],
      [{ version: 'latest' }, 'version'],
      [['PT0S'], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('a stale version in the body → 409 instead of overwriting a newer change', async () => {
    const before = await current();
    const res = await put({ version: before.version - 1, maxReferralAttempts: 4 }).expect(409);
    expect(res.body.error).toBe('Conflict');
    await put({ version: before.version, maxReferralAttempts: 4 }).expect(200);
  });

  it('concurrent partial PUTs get consecutive versions and neither change is lost', async () => {
    const before = await current();
    const [a, b] = await Promise.all([put({ escalateUnresponsiveAfter: 'P13D' }), put({ appointmentReminderBefore: 'PT12H' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.version, b.body.version].sort()).toEqual([before.version + 1, before.version + 2]);
    expect(await current()).toMatchObject({
      version: before.version + 2,
      escalateUnresponsiveAfter: 'P13D',
      appointmentReminderBefore: 'PT12H',
    });
  });

  it('only admins: counsellor, manager and partner → 403; no token → 401', async () => {
    for (const role of ['counsellor', 'manager', 'partner'] as const) {
      const token = `Bearer ${sys.token(role, role === 'partner' ? { partnerId: 'ml-75-01' } : {})}`;
      const res = await sys.http().get('/v1/policy').set('Authorization', token).expect(403);
      expect(res.body.error).toBe('Forbidden');
      await sys.http().put('/v1/policy').set('Authorization', token).send({ maxReferralAttempts: 2 }).expect(403);
    }
    await sys.http().get('/v1/policy').expect(401);
  });

  it('the history lists every version newest first, paged; one version says what it changed', async () => {
    const before = await current();
    const saved = (await put({ referralExpiresAfter: 'P9D', quietHours: { end: '08:30' } }).expect(200)).body;
    const history = (await sys.http().get('/v1/policy/versions?pageSize=2').set('Authorization', admin).expect(200)).body;
    expect(history).toMatchObject({ page: 1, pageSize: 2, total: saved.version });
    expect(history.items.map((v: { version: number }) => v.version)).toEqual([saved.version, before.version]);
    const [newest, previous] = history.items;
    expect(newest).toEqual({
      version: saved.version,
      createdBy: 'admin:test-admin',
      createdAt: expect.any(String),
      effectiveFrom: newest.createdAt,
      effectiveUntil: null,
      current: true,
    });
    expect(previous).toMatchObject({ version: before.version, current: false, effectiveUntil: newest.effectiveFrom });
    const last = (await sys.http().get(`/v1/policy/versions?page=${saved.version}&pageSize=1`).set('Authorization', admin).expect(200))
      .body;
    expect(last.items).toEqual([expect.objectContaining({ version: 1, createdBy: 'migration' })]);

    const one = (await sys.http().get(`/v1/policy/versions/${saved.version}`).set('Authorization', admin).expect(200)).body;
    expect(one).toMatchObject({ version: saved.version, policy: saved, previousVersion: before.version, current: true });
    expect(one.changes).toEqual([
      { field: 'referralExpiresAfter', from: before.referralExpiresAfter, to: 'P9D' },
      { field: 'quietHours', from: before.quietHours, to: { start: before.quietHours.start, end: '08:30' } },
    ]);
    const first = (await sys.http().get('/v1/policy/versions/1').set('Authorization', admin).expect(200)).body;
    expect(first).toMatchObject({ version: 1, previousVersion: null, changes: [] });
  });

  it('an unknown version → 404; not a whole number → 400', async () => {
    const { version } = await current();
    expect(
      (
        await sys
          .http()
          .get(`/v1/policy/versions/${version + 1000}`)
          .set('Authorization', admin)
          .expect(404)
      ).body.error,
    ).toBe('NotFound');
    for (const bad of ['0', '-1', 'latest', '1.5', '99999999999'])
      expect((await sys.http().get(`/v1/policy/versions/${bad}`).set('Authorization', admin).expect(400)).body.details[0].field).toBe(
        'version',
      );
  });

  it('a case created after a PUT carries the new version; an earlier case keeps its own', async () => {
    const earlier = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body.caseId;
    const { version } = (await put({ closeUnreachableAfter: 'P31D' }).expect(200)).body;
    const later = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body.caseId;
    const policyVersionOf = async (caseId: string) =>
      (await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', admin).expect(200)).body.policyVersion;
    expect(await policyVersionOf(later)).toBe(version);
    expect(await policyVersionOf(earlier)).toBeLessThan(version);
  });
});
