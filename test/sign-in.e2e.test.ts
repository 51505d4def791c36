import { randomUUID } from 'node:crypto';
import { aForm } from './support/forms';
import { TestClock } from './support/clock';
import { eventually, startTestSystem, TestSystem } from './support/test-system';

/** The console's sign-in (issue 10): one-time links by email, cookie sessions, CSRF on writes. */
describe('sign-in by link and console sessions', () => {
  let sys: TestSystem;
  const clock = new TestClock();
  let admin: string;
  let caseId: string;

  beforeAll(async () => {
    sys = await startTestSystem({ clock });
    admin = `Bearer ${sys.token('admin')}`;
    caseId = (await sys.http().post('/v1/intake/forms').send(aForm()).expect(201)).body.caseId;
  });
  afterEach(() => clock.reset());
  afterAll(async () => sys?.stop());

  const uniqueEmail = (who: string) => `${who}.${randomUUID().slice(0, 8)}@example.org`;

  async function addUser(body: Record<string, unknown>) {
    return (await sys.http().post('/v1/users').set('Authorization', admin).send(body).expect(201)).body;
  }

  const outboxFor = async (email: string): Promise<{ subject: string; text: string }[]> =>
    sys.dataSource.query(`SELECT subject, text FROM message_outbox WHERE lower(recipient) = lower($1) ORDER BY id`, [email]);

  /** Asks for a link and reads it from the development outbox, as a developer would. */
  async function linkFor(email: string, next?: string): Promise<string> {
    const before = (await outboxFor(email)).length;
    await sys.http().post('/v1/auth/links').send({ email, next }).expect(202);
    const mail = await eventually(async () => (await outboxFor(email))[before], `a sign-in email to ${email}`, 5000);
    expect(mail.subject).toBe('Votre lien de connexion à Walt');
    const url = /https?:\/\/\S+\/v1\/auth\/links\/(\S+)/.exec(mail.text);
    if (!url) throw new Error(`no link in ${mail.text}`);
    return `/v1/auth/links/${url[1]}`;
  }

  /** Signs in by link; answers the cookie header and the session's CSRF token. */
  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const res = await sys
      .http()
      .get(await linkFor(email))
      .expect(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0];
    const me = await sys.http().get('/v1/me').set('Cookie', cookie).expect(200);
    return { cookie, csrf: me.body.csrfToken };
  }

  it('a link signs in once: HttpOnly SameSite=Lax cookie, redirect to the page asked, a used link says so', async () => {
    const email = uniqueEmail('conseillere');
    const user = await addUser({ email, role: 'counsellor' });
    const link = await linkFor(email.toUpperCase(), '/console/dossiers?stage=ENGAGING');
    const res = await sys.http().get(link).expect(303);
    expect(res.headers.location).toBe('/console/dossiers?stage=ENGAGING');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^walt_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(';')[0];

    const me = await sys.http().get('/v1/me').set('Cookie', cookie).expect(200);
    expect(me.body).toEqual({ userId: user.userId, email, role: 'counsellor', csrfToken: expect.stringMatching(/^[\w-]{40,}$/) });
    await sys.http().get(`/v1/cases/${caseId}`).set('Cookie', cookie).expect(200);

    const again = await sys.http().get(link).expect(410);
    expect(again.text).toContain('Lien déjà utilisé');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('answers 202 for an unknown address and sends nothing; an open redirect is not followed', async () => {
    const nobody = uniqueEmail('personne');
    await sys.http().post('/v1/auth/links').send({ email: nobody }).expect(202);
    await sys.http().post('/v1/auth/links').send({ email: 'not an email' }).expect(400);
    const email = uniqueEmail('manager');
    await addUser({ email, role: 'manager' });
    const res = await sys
      .http()
      .get(await linkFor(email, '//evil.example.org/console'))
      .expect(303);
    expect(res.headers.location).toBe('/console/');
    expect(await outboxFor(nobody)).toEqual([]);
  });

  it('a link expires after 15 minutes; an unknown one is refused', async () => {
    const email = uniqueEmail('expire');
    await addUser({ email, role: 'manager' });
    const link = await linkFor(email);
    clock.standAt(new Date(Date.now() + 16 * 60_000));
    expect((await sys.http().get(link).expect(410)).text).toContain('Lien expiré');
    clock.reset();
    await sys.http().get('/v1/auth/links/not-a-real-token').expect(404);
  });

  it('at most 5 links per address per 15 minutes', async () => {
    const email = uniqueEmail('flood');
    await addUser({ email, role: 'manager' });
    for (let i = 0; i < 7; i++) await sys.http().post('/v1/auth/links').send({ email }).expect(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(await outboxFor(email)).toHaveLength(5);
  });

  it('a write with the cookie needs the CSRF token; a bearer token needs none', async () => {
    const email = uniqueEmail('csrf');
    await addUser({ email, role: 'counsellor' });
    const { cookie, csrf } = await signIn(email);
    const without = await sys.http().post(`/v1/cases/${caseId}/notes`).set('Cookie', cookie).send({ text: 'Appel prévu' }).expect(403);
    expect(without.body).toEqual({ error: 'Forbidden', message: expect.stringContaining('CSRF'), details: [] });
    await sys
      .http()
      .post(`/v1/cases/${caseId}/notes`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', 'x'.repeat(csrf.length))
      .send({ text: 'Appel prévu' })
      .expect(403);
    await sys
      .http()
      .post(`/v1/cases/${caseId}/notes`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ text: 'Appel prévu' })
      .expect(200);
    await sys
      .http()
      .post(`/v1/cases/${caseId}/notes`)
      .set('Authorization', `Bearer ${sys.token('counsellor')}`)
      .send({ text: 'Par API' })
      .expect(200);
  });

  it("the session carries the user's role, territories and structure: the API's rules apply", async () => {
    const local = uniqueEmail('outre-mer');
    await addUser({ email: local, role: 'counsellor', territories: ['971'] });
    const { cookie } = await signIn(local);
    await sys.http().get(`/v1/cases/${caseId}`).set('Cookie', cookie).expect(404);
    await sys.http().get('/v1/reports/funnel').set('Cookie', cookie).expect(403);

    const partner = uniqueEmail('partenaire');
    await sys.http().post('/v1/users').set('Authorization', admin).send({ email: partner, role: 'partner' }).expect(400);
    await sys.http().post('/v1/users').set('Authorization', admin).send({ email: partner, role: 'partner', partnerId: 'nope' }).expect(400);
    const [{ id: partnerId }] = await sys.dataSource.query(`SELECT id FROM partners ORDER BY id LIMIT 1`);
    await addUser({ email: partner, role: 'partner', partnerId });
    const session = await signIn(partner);
    const me = await sys.http().get('/v1/me').set('Cookie', session.cookie).expect(200);
    expect(me.body).toMatchObject({ role: 'partner', partnerId });
    await sys.http().get('/v1/partner/referrals').set('Cookie', session.cookie).expect(200);
    await sys.http().get(`/v1/cases/${caseId}`).set('Cookie', session.cookie).expect(403);
    await sys.http().post('/v1/users').set('Authorization', admin).send({ email: partner, role: 'manager' }).expect(409);
  });

  it('a session ends after 30 idle minutes, after 12 hours whatever, at sign-out, and when the user is deactivated', async () => {
    const email = uniqueEmail('sessions');
    const user = await addUser({ email, role: 'manager' });
    const start = Date.now();

    const idle = await signIn(email);
    clock.standAt(new Date(start + 29 * 60_000));
    await sys.http().get('/v1/me').set('Cookie', idle.cookie).expect(200);
    clock.standAt(new Date(start + 60 * 60_000));
    expect((await sys.http().get('/v1/me').set('Cookie', idle.cookie).expect(401)).body.error).toBe('Unauthorized');
    clock.reset();

    const busy = await signIn(email);
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      clock.standAt(new Date(start + minutes * 60_000));
      await sys.http().get('/v1/me').set('Cookie', busy.cookie).expect(200);
    }
    clock.standAt(new Date(start + 12 * 60 * 60_000 + 60_000));
    await sys.http().get('/v1/me').set('Cookie', busy.cookie).expect(401);
    clock.reset();

    const out = await signIn(email);
    await sys.http().post('/v1/auth/sign-out').set('Cookie', out.cookie).expect(403);
    const res = await sys.http().post('/v1/auth/sign-out').set('Cookie', out.cookie).set('X-CSRF-Token', out.csrf).expect(204);
    expect(String(res.headers['set-cookie'])).toMatch(/walt_session=;/);
    await sys.http().get('/v1/me').set('Cookie', out.cookie).expect(401);

    const kept = await signIn(email);
    const listed = await sys.http().get('/v1/users?role=manager&q=sessions').set('Authorization', admin).expect(200);
    expect(listed.body.items.map((u: { email: string }) => u.email)).toContain(email);
    await sys.http().patch(`/v1/users/${user.userId}`).set('Authorization', admin).send({ active: false }).expect(200);
    await sys.http().get('/v1/me').set('Cookie', kept.cookie).expect(401);
    await sys.http().post('/v1/auth/links').send({ email }).expect(202);
    await new Promise((r) => setTimeout(r, 200));
    expect(await outboxFor(email)).toHaveLength(4);
  });

  it('users are for admins only', async () => {
    await sys
      .http()
      .get('/v1/users')
      .set('Authorization', `Bearer ${sys.token('manager')}`)
      .expect(403);
    await sys.http().patch(`/v1/users/${randomUUID()}`).set('Authorization', admin).send({ active: false }).expect(404);
  });
});
