import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

describe('intake: the communes of a postal code, offered and chosen', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  const communesOf = (postalCode: string) => sys.http().get(`/v1/intake/postal-codes/${postalCode}`);
  const profileOf = async (caseId: string) =>
    (
      await sys
        .http()
        .get(`/v1/cases/${caseId}`)
        .set('Authorization', `Bearer ${sys.token('counsellor')}`)
        .expect(200)
    ).body.profile;

  it('lists the communes of a shared postal code, the default first, without a token', async () => {
    const res = await communesOf('01400').expect(200);
    expect(res.body).toMatchObject({ postalCode: '01400', defaultCommuneCode: '01093' });
    expect(res.body.communes[0]).toEqual({
      communeCode: '01093',
      name: 'Châtillon-sur-Chalaronne',
      departement: '01',
      population: expect.any(Number),
    });
    expect(res.body.communes.map((c: { communeCode: string }) => c.communeCode)).toContain('01272');
    expect(res.body.communes.length).toBeGreaterThan(5);
  });

  it('answers a code once refused, and an overseas one in its département', async () => {
    expect((await communesOf('33090').expect(200)).body).toMatchObject({ defaultCommuneCode: '33063', communes: [{ name: 'Bordeaux' }] });
    expect((await communesOf('97310').expect(200)).body).toEqual({
      postalCode: '97310',
      defaultCommuneCode: '97304',
      communes: [{ communeCode: '97304', name: 'Kourou', departement: '973', population: expect.any(Number) }],
    });
  });

  it('404 for a well-formed code nobody knows, 400 for a malformed one, in the error shape', async () => {
    expect((await communesOf('99999').expect(404)).body).toEqual({
      error: 'NotFound',
      message: 'Postal code 99999 was not found.',
      details: [],
    });
    for (const malformed of ['7500', '750011', 'abcde', '75%2000']) {
      expect((await communesOf(malformed).expect(400)).body).toEqual({
        error: 'ValidationError',
        message: 'postalCode: must be a 5-digit postal code',
        details: [{ field: 'postalCode', message: 'must be a 5-digit postal code' }],
      });
    }
  });

  it('records the commune the form chose from the list, or the default without one', async () => {
    const chosen = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ postalCode: '01400', communeCode: '01272' }))
      .expect(201);
    expect(await profileOf(chosen.body.caseId)).toMatchObject({ postalCode: '01400', communeCode: '01272', departement: '01' });

    const byDefault = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ postalCode: '01400' }))
      .expect(201);
    expect(await profileOf(byDefault.body.caseId)).toMatchObject({ postalCode: '01400', communeCode: '01093' });

    const militarySite = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ postalCode: '18490' }))
      .expect(201);
    expect(await profileOf(militarySite.body.caseId)).toMatchObject({ postalCode: '18490', communeCode: '18018', departement: '18' });
  });

  it('refuses a commune the postal code does not serve, naming communeCode', async () => {
    const res = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ postalCode: '01400', communeCode: '75056' }))
      .expect(400);
    expect(res.body).toMatchObject({
      error: 'ValidationError',
      details: [{ field: 'communeCode', message: 'is not a commune of postal code 01400' }],
    });
  });

  it('is in the OpenAPI document, public, with its answers', async () => {
    const doc = (await sys.http().get('/docs-json').expect(200)).body;
    const get = doc.paths['/v1/intake/postal-codes/{postalCode}'].get;
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '429']));
    expect(get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PostalCodeCommunesDto' });
    expect(Object.keys(doc.components.schemas.PostalCodeCommuneDto.properties)).toEqual([
      'communeCode',
      'name',
      'departement',
      'population',
    ]);
  });
});
