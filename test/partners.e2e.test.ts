import { PartnersRepository } from '@walt/directory';
import { PARTNER_CSV_COLUMNS } from '@walt/matching';
import { startTestSystem, TestSystem } from './support/test-system';

/*
 * The test database is shared between runs: every partner made here has a fresh id and is
 * inactive, so no other test's young person is ever referred to it.
 */
const run = Date.now().toString(36);
const id = (name: string) => `t-${name}-${run}`;

const aPartner = (overrides: Record<string, unknown> = {}) => ({
  id: id('e2c'),
  type: 'E2C',
  name: 'E2C Lozère (test)',
  communeCode: '48095',
  zones: [{ kind: 'DEPARTEMENT', code: '48' }],
  monthlyCapacity: 10,
  active: false,
  contactEmail: 'e2c-lozere@example.org',
  ...overrides,
});

const csvOf = (rows: string[]) => [PARTNER_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
const csvRow = (partnerId: string, name: string, maxAge = '25') =>
  `${partnerId},MFR,${name},48095,COMMUNE:48095,15,${maxAge},NONE|CAP_BEP,ALTERNANCE,4,false,${partnerId}@example.org,`;

describe('partner directory administration', () => {
  let sys: TestSystem;
  let admin: string;
  let repository: PartnersRepository;
  beforeAll(async () => {
    sys = await startTestSystem();
    admin = `Bearer ${sys.token('admin')}`;
    repository = new PartnersRepository(sys.dataSource);
  });
  afterAll(async () => sys?.stop());

  it('lists the seeded directory with filters and paging', async () => {
    const res = await sys.http().get('/v1/partners?type=MISSION_LOCALE&departement=973').set('Authorization', admin).expect(200);
    expect(res.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(res.body.items[0]).toMatchObject({
      id: 'ml-973',
      type: 'MISSION_LOCALE',
      departement: '973',
      zones: [{ kind: 'DEPARTEMENT', code: '973' }],
    });

    const page = await sys.http().get('/v1/partners?pageSize=7&page=2').set('Authorization', admin).expect(200);
    expect(page.body.items).toHaveLength(7);
    expect(page.body.total).toBeGreaterThanOrEqual(320);

    const search = await sys.http().get('/v1/partners?q=guyane').set('Authorization', admin).expect(200);
    expect(search.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['ml-973', 'ft-973']));

    const tooBig = await sys.http().get('/v1/partners?pageSize=500&type=NOPE').set('Authorization', admin).expect(400);
    expect(tooBig.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['pageSize', 'type']);
  });

  it('creates a partner with the defaults of its type; the same id again is a conflict', async () => {
    const res = await sys.http().post('/v1/partners').set('Authorization', admin).send(aPartner()).expect(201);
    expect(res.body).toEqual({
      ...aPartner(),
      departement: '48',
      minAge: 16,
      maxAge: 25,
      diplomaLevels: ['NONE', 'CAP_BEP'],
      wishes: ['TRAINING', 'ALTERNANCE', 'JOB', 'NOT_SURE'],
      referralExpiresAfter: null,
    });
    await sys
      .http()
      .get(`/v1/partners/${id('e2c')}`)
      .set('Authorization', admin)
      .expect(200, res.body);

    const again = await sys
      .http()
      .post('/v1/partners')
      .set('Authorization', admin)
      .send(aPartner({ name: 'Other' }))
      .expect(409);
    expect(again.body.error).toBe('Conflict');
  });

  it.each([
    ['id', { id: 'Not An Id' }],
    ['type', { id: id('bad-type'), type: 'LYCEE' }],
    ['name', { id: id('no-name'), name: undefined }],
    ['communeCode', { id: id('bad-commune'), communeCode: '99999' }],
    ['zones', { id: id('bad-zone'), zones: [{ kind: 'DEPARTEMENT', code: '999' }] }],
    ['zones[0].code', { id: id('zone-shape'), zones: [{ kind: 'COMMUNE' }] }],
    ['maxAge', { id: id('ages'), minAge: 20, maxAge: 18 }],
    ['diplomaLevels', { id: id('diploma'), diplomaLevels: ['MASTER'] }],
    ['monthlyCapacity', { id: id('capacity'), monthlyCapacity: -1 }],
    ['contactEmail', { id: id('email'), contactEmail: 'not an email' }],
    ['referralExpiresAfter', { id: id('sla'), referralExpiresAfter: 'seven days' }],
  ])('400 naming %s', async (field, overrides) => {
    const res = await sys.http().post('/v1/partners').set('Authorization', admin).send(aPartner(overrides)).expect(400);
    expect(res.body.error).toBe('ValidationError');
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    await sys
      .http()
      .get(`/v1/partners/${encodeURIComponent(String(overrides.id))}`)
      .set('Authorization', admin)
      .expect(404);
  });

  it('patches some fields, keeps the others, and validates the result', async () => {
    const res = await sys
      .http()
      .patch(`/v1/partners/${id('e2c')}`)
      .set('Authorization', admin)
      .send({ monthlyCapacity: 3, referralExpiresAfter: 'P14D', zones: [{ kind: 'COMMUNE', code: '48095' }] })
      .expect(200);
    expect(res.body).toMatchObject({
      id: id('e2c'),
      name: 'E2C Lozère (test)',
      monthlyCapacity: 3,
      referralExpiresAfter: 'P14D',
      zones: [{ kind: 'COMMUNE', code: '48095' }],
    });

    const cleared = await sys
      .http()
      .patch(`/v1/partners/${id('e2c')}`)
      .set('Authorization', admin)
      .send({ referralExpiresAfter: null })
      .expect(200);
    expect(cleared.body).toMatchObject({ monthlyCapacity: 3, referralExpiresAfter: null });

    const bad = await sys
      .http()
      .patch(`/v1/partners/${id('e2c')}`)
      .set('Authorization', admin)
      .send({ minAge: 30 })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'maxAge', message: expect.stringContaining('30') }]);
    const typo = await sys
      .http()
      .patch(`/v1/partners/${id('e2c')}`)
      .set('Authorization', admin)
      .send({ active: 'yes' })
      .expect(400);
    expect(typo.body.details.map((d: { field: string }) => d.field)).toEqual(['active']);
    expect((await repository.get(id('e2c')))?.minAge).toBe(16);

    await sys
      .http()
      .patch(`/v1/partners/${id('nobody')}`)
      .set('Authorization', admin)
      .send({ monthlyCapacity: 1 })
      .expect(404);
  });

  it('an unknown partner → 404; roles other than admin → 403', async () => {
    const res = await sys
      .http()
      .get(`/v1/partners/${id('nobody')}`)
      .set('Authorization', admin)
      .expect(404);
    expect(res.body.error).toBe('NotFound');
    for (const role of ['counsellor', 'manager'] as const) {
      const bearer = `Bearer ${sys.token(role)}`;
      await sys.http().get('/v1/partners').set('Authorization', bearer).expect(403);
      await sys
        .http()
        .post('/v1/partners')
        .set('Authorization', bearer)
        .send(aPartner({ id: id('nope') }))
        .expect(403);
      await sys.http().post('/v1/partners/import').set('Authorization', bearer).set('Content-Type', 'text/csv').send(csvOf([])).expect(403);
    }
    await sys.http().get('/v1/partners').expect(401);
  });

  it('an import with one bad line changes nothing and names the line and column', async () => {
    const before = await repository.count();
    const existing = await repository.get(id('e2c'));
    const csv = csvOf([
      `${id('e2c')},E2C,Renamed by the import,48095,DEPARTEMENT:48,16,25,NONE,JOB,9,false,x@example.org,`,
      csvRow(id('mfr-a'), 'MFR A'),
      csvRow(id('mfr-b'), 'MFR B', '12'),
    ]);
    const res = await sys
      .http()
      .post('/v1/partners/import')
      .set('Authorization', admin)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('nothing was imported') });
    expect(res.body.details).toEqual([{ field: 'line 4, column maxAge', line: 4, column: 'maxAge', message: expect.any(String) }]);

    expect(await repository.count()).toBe(before);
    expect(await repository.get(id('e2c'))).toEqual(existing);
    expect(await repository.get(id('mfr-a'))).toBeNull();
  });

  it('a good import creates and updates, as text/csv or as a multipart file', async () => {
    const csv = csvOf([
      `${id('e2c')},E2C,E2C Lozère (renamed),48095,DEPARTEMENT:48,16,25,NONE|CAP_BEP,JOB,9,false,e2c-lozere@example.org,P10D`,
      csvRow(id('mfr-a'), 'MFR A'),
    ]);
    const res = await sys
      .http()
      .post('/v1/partners/import')
      .set('Authorization', admin)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body).toEqual({ imported: 2, created: 1, updated: 1 });
    expect(await repository.get(id('e2c'))).toMatchObject({
      name: 'E2C Lozère (renamed)',
      monthlyCapacity: 9,
      referralExpiresAfter: 'P10D',
    });
    expect(await repository.get(id('mfr-a'))).toMatchObject({
      type: 'MFR',
      departement: '48',
      zones: [{ kind: 'COMMUNE', code: '48095' }],
    });

    const file = csvOf([csvRow(id('mfr-a'), 'MFR A (file)'), csvRow(id('mfr-c'), 'MFR C')]);
    const upload = await sys
      .http()
      .post('/v1/partners/import')
      .set('Authorization', admin)
      .attach('file', Buffer.from(file), 'partners.csv')
      .expect(200);
    expect(upload.body).toEqual({ imported: 2, created: 1, updated: 1 });
    expect((await repository.get(id('mfr-a')))?.name).toBe('MFR A (file)');
  });

  it('an import without a CSV body → 400', async () => {
    const res = await sys.http().post('/v1/partners/import').set('Authorization', admin).send({ csv: 'x' }).expect(400);
    expect(res.body.details[0].field).toBe('body');
    const broken = await sys
      .http()
      .post('/v1/partners/import')
      .set('Authorization', admin)
      .set('Content-Type', 'text/csv')
      .send('id,type\n')
      .expect(400);
    expect(broken.body.details.every((d: { line: number }) => d.line === 1)).toBe(true);
  });

  it('the OpenAPI document has the partner routes', async () => {
    const doc = (await sys.http().get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/partners', '/v1/partners/{id}', '/v1/partners/import', '/v1/cases/{caseId}/matches']),
    );
  });
});
