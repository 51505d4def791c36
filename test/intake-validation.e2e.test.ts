import { aForm } from './support/forms';
import { startTestSystem, TestSystem } from './support/test-system';

const BAD_INPUTS: [string, Record<string, unknown>, string][] = [
  ['an impossible birth date', { birthDate: '2005-02-30' }, 'birthDate'],
  ['a birth date in another format', { birthDate: '17/05/2006' }, 'birthDate'],
  ['a birth date in the future', { birthDate: '2099-01-01' }, 'birthDate'],
  ['an unknown postal code', { postalCode: '99999' }, 'postalCode'],
  ['a postal code that is not 5 digits', { postalCode: '7500' }, 'postalCode'],
  ['a commune that the postal code does not serve', { postalCode: '75011', communeCode: '97302' }, 'communeCode'],
  [
    'no contact at all',
    { email: undefined, phone: undefined, consent: { dataProcessing: true, shareWithPartners: false, channels: [] } },
    'email',
  ],
  ['a bad email', { email: 'lea-at-example.org' }, 'email'],
  ['a bad phone', { phone: '12 34' }, 'phone'],
  ['an unknown diploma level', { diplomaLevel: 'MASTER' }, 'diplomaLevel'],
  ['an unknown situation', { situation: 'STUDENT' }, 'situation'],
  ['an unknown barrier', { barriers: ['HEALTH', 'BOREDOM'] }, 'barriers'],
  ['an unknown wish', { wishes: ['FAME'] }, 'wishes'],
  ['an unknown source channel', { source: { channel: 'MYSPACE' } }, 'source.channel'],
  [
    'no data-processing consent',
    { consent: { dataProcessing: false, shareWithPartners: true, channels: ['SMS'] } },
    'consent.dataProcessing',
  ],
  ['no consent object', { consent: undefined }, 'consent'],
  ['an unknown consent channel', { consent: { dataProcessing: true, shareWithPartners: true, channels: ['PIGEON'] } }, 'consent.channels'],
  [
    'SMS consent without a phone',
    { phone: undefined, consent: { dataProcessing: true, shareWithPartners: true, channels: ['SMS'] } },
    'consent.channels',
  ],
  ['an extra-long first name', { firstName: 'x'.repeat(101) }, 'firstName'],
  ['an extra-long campaign', { source: { channel: 'TIKTOK', campaign: 'c'.repeat(500) } }, 'source.campaign'],
  ['a number where text is expected', { lastName: 42 }, 'lastName'],
  ['a string where a list is expected', { wishes: 'JOB' }, 'wishes'],
  ['a submissionId that is not a UUID', { submissionId: 'form-1' }, 'submissionId'],
  ['an empty first name', { firstName: '' }, 'firstName'],
];

describe('intake validation: bad input gets a 400 naming the field, and writes nothing', () => {
  let sys: TestSystem;
  beforeAll(async () => (sys = await startTestSystem()));
  afterAll(async () => sys?.stop());

  /** Rows this form could have written (other journeys may be running in the same database). */
  const written = async (form: ReturnType<typeof aForm>) => {
    const [row] = await sys.dataSource.query(
      `SELECT (SELECT count(*) FROM youths WHERE last_name = $1 OR email = $2)::int AS youths,
              (SELECT count(*) FROM cases WHERE submission_id = $3)::int AS cases`,
      [form.lastName, form.email ?? '', String(form.submissionId)],
    );
    return row;
  };

  it.each(BAD_INPUTS)('%s', async (_, overrides, field) => {
    const form = aForm(overrides);
    const res = await sys.http().post('/v1/intake/forms').send(form).expect(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', message: expect.any(String) });
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    for (const detail of res.body.details) expect(detail.message).toEqual(expect.any(String));
    expect(await written(form)).toEqual({ youths: 0, cases: 0 });
  });

  it('the same form without its defect is accepted (so the checks above are not vacuous)', async () => {
    const form = aForm();
    await sys.http().post('/v1/intake/forms').send(form).expect(201);
    expect(await written(form)).toEqual({ youths: 1, cases: 1 });
  });

  it('a body that is not JSON gets the same error shape', async () => {
    const res = await sys.http().post('/v1/intake/forms').set('Content-Type', 'application/json').send('{"submissionId":').expect(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: [{ field: 'body' }] });
  });

  it('reports every problem of a form at once', async () => {
    const res = await sys
      .http()
      .post('/v1/intake/forms')
      .send(aForm({ diplomaLevel: 'X', situation: 'Y', postalCode: 'abc' }))
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['diplomaLevel', 'postalCode', 'situation']);
  });
});
