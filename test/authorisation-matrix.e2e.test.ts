import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Policy } from '@walt/domain';
import { jwtSecret, signToken } from '@walt/auth';
import { partnerLinkSecret, signReferralLink } from '@walt/messaging';
import { youthRepliedSignal } from '../workflows/messages';
import { OpenApiDocument, refusesWithPage, routesOf as operationsOf } from './support/fuzz';
import { aForm } from './support/forms';
import { journeyOf, pendingReferral, waitForStage } from './support/journeys';
import { savePolicyVersion } from './support/policies';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * Who may do what (OWASP API1, broken object-level authorisation): every route of the OpenAPI
 * document × every kind of caller, each cell an expected status. A route added to the API
 * without its row here fails the test, and so does a row for a route that no longer exists.
 *
 * The object every route is asked about is one real case (département 75) whose journey went as
 * far as a referral, then was closed by a counsellor (the referral WITHDRAWN): an allowed caller
 * then gets the answer of a closed case (200 for reads, 409 for actions), so no cell changes
 * what the next cell sees, and a denied caller gets 401, 403 or 404 (API.md: outside the
 * caller's scope is 404, so it does not even learn the object exists). Bodies are valid, so a
 * 400 never hides the authorisation answer; admin writes of global data send a body that is
 * refused (400) so the matrix does not change the directory or the policy.
 */
const CALLERS = [
  'none', // no Authorization header
  'malformed', // "Bearer not.a.jwt"
  'expired', // signed by us, expired beyond the clock skew allowance
  'wrongSecret', // well formed, signed with another secret
  'counsellorIn', // counsellor limited to the case's département
  'counsellorOut', // counsellor limited to other départements
  'partnerOwner', // the partner the referral was sent to
  'partnerOther', // any other partner
  'manager',
  'admin',
  'linkOther', // a valid signed partner link, for another referral
] as const;
type Caller = (typeof CALLERS)[number];
type Row = Record<Caller, number>;

const UNAUTHENTICATED = { none: 401, malformed: 401, expired: 401, wrongSecret: 401, linkOther: 401 } as const;
/** A public route: the same answer whoever calls, a bad token included (it is not read). */
const everyone = (status: number): Row => Object.fromEntries(CALLERS.map((c) => [c, status])) as Row;
/** Counsellors, managers and admins, on the case: a counsellor outside its territories gets 404. */
const staff = (status: number, outside = 404): Row => ({
  ...UNAUTHENTICATED,
  counsellorIn: status,
  counsellorOut: outside,
  partnerOwner: 403,
  partnerOther: 403,
  manager: status,
  admin: status,
});
const managers = (status: number): Row => ({ ...staff(403, 403), manager: status, admin: status });
const admins = (status: number): Row => ({ ...staff(403, 403), admin: status });
/** The partner portal: the owning partner only; another partner gets 404. */
const owningPartner = (status: number): Row => ({ ...staff(403, 403), partnerOwner: status, partnerOther: 404 });
/**
 * Signed-link routes: the credential is the token in the path. The owner holds the real link
 * of the referral (409: the referral is no longer pending, so the link is dead); every other
 * caller puts what it holds there (nothing usable, a JWT, an expired or forged link, or its own
 * link for another referral with the referral id changed): 401.
 */
const linkHolder = (status: number): Row => ({ ...everyone(401), partnerOwner: status });
/** Any signed-in caller, whatever the role. */
const signedIn = (status: number): Row => ({ ...staff(status, status), partnerOwner: status, partnerOther: status });

/** `METHOD path` as in the OpenAPI document → expected status per caller. */
const MATRIX: Record<string, Row> = {
  'GET /health': everyone(200),
  'GET /ready': everyone(200),
  'POST /v1/intake/forms': everyone(400),
  'GET /v1/intake/postal-codes/{postalCode}': everyone(200),
  'POST /v1/intake/chat/messages': everyone(400),
  'GET /v1/intake/chat/{conversationId}': everyone(404),
  'DELETE /v1/intake/chat/{conversationId}': everyone(404),
  'POST /v1/intake/sms/inbound': everyone(503),

  'GET /v1/cases': staff(200, 200),
  'GET /v1/cases/{caseId}': staff(200),
  'GET /v1/cases/{caseId}/timeline': staff(200),
  'GET /v1/cases/{caseId}/matches': staff(200),
  'POST /v1/cases/{caseId}/contacts': staff(409),
  'PATCH /v1/cases/{caseId}/profile': staff(409),
  'POST /v1/cases/{caseId}/referrals': staff(409),
  'POST /v1/cases/{caseId}/rematch': staff(409),
  'POST /v1/cases/{caseId}/check-ins': staff(409),
  'POST /v1/cases/{caseId}/pause': staff(409),
  'POST /v1/cases/{caseId}/resume': staff(409),
  'POST /v1/cases/{caseId}/close': staff(409),
  'POST /v1/cases/{caseId}/notes': staff(200),

  'GET /v1/partner/referrals': { ...owningPartner(200), partnerOther: 200 },
  'GET /v1/partner/referrals/{referralId}': owningPartner(200),
  'POST /v1/partner/referrals/{referralId}/accept': owningPartner(409),
  'POST /v1/partner/referrals/{referralId}/decline': owningPartner(409),
  'POST /v1/partner/referrals/{referralId}/attendance': owningPartner(409),
  'POST /v1/partner/referrals/{referralId}/outcome': owningPartner(409),
  'POST /v1/partner/referrals/{referralId}/link': staff(409),
  'GET /v1/partner/links/{token}': linkHolder(409),
  'POST /v1/partner/links/{token}/accept': linkHolder(409),
  'POST /v1/partner/links/{token}/decline': linkHolder(409),

  'GET /v1/reports/journey-durations': managers(200),
  'GET /v1/reports/funnel': managers(200),
  'GET /v1/reports/partners': managers(200),
  'GET /v1/reports/overdue': managers(200),
  'GET /v1/reports/chat-funnel': managers(200),
  'GET /v1/reports/nudges': managers(200),
  'GET /v1/reports/anonymisations': managers(200),

  'GET /v1/partners': admins(200),
  'GET /v1/partners/{id}': admins(200),
  'POST /v1/partners': admins(400),
  'PATCH /v1/partners/{id}': admins(400),
  'POST /v1/partners/import': admins(400),
  'GET /v1/policy': admins(200),
  'PUT /v1/policy': admins(400),
  'POST /v1/policy/simulations': managers(400),
  'GET /v1/policy/simulations/{id}': managers(404),
  'DELETE /v1/youths/{caseId}/personal-data': admins(200),
  'POST /v1/temporal-codec/decode': admins(400),
  'POST /v1/temporal-codec/encode': admins(400),
  'GET /v1/audit/access': admins(200),
  'GET /v1/youths/{caseId}/export': { ...staff(200), manager: 403 },
  // The consent the form gave, again: allowed callers get 200 and nothing changes for the next cell.
  'PUT /v1/youths/{caseId}/consent': { ...staff(200), manager: 403 },

  'POST /v1/auth/links': everyone(400),
  'GET /v1/auth/links/{token}': everyone(404),
  'GET /v1/me': signedIn(200),
  'POST /v1/auth/sign-out': signedIn(204),
  'GET /v1/users': admins(200),
  'POST /v1/users': admins(400),
  'PATCH /v1/users/{userId}': admins(404),
};

/** A valid body for each write (or one refused on purpose, for admin writes of global data). */
const bodies = (partnerId: string): Record<string, object> => ({
  'POST /v1/intake/forms': {},
  'POST /v1/intake/chat/messages': {},
  'POST /v1/intake/sms/inbound': { from: '+33612345678', text: 'oui' },
  'POST /v1/cases/{caseId}/contacts': { channel: 'PHONE', reached: true },
  'PATCH /v1/cases/{caseId}/profile': { wishes: ['TRAINING'] },
  'POST /v1/cases/{caseId}/check-ins': { status: 'ON_TRACK' },
  'POST /v1/cases/{caseId}/pause': { reason: 'matrix' },
  'POST /v1/cases/{caseId}/close': { reason: 'WITHDRAWN' },
  'POST /v1/cases/{caseId}/notes': { text: 'matrix' },
  'POST /v1/partner/referrals/{referralId}/accept': {},
  'POST /v1/partner/referrals/{referralId}/decline': { reason: 'CAPACITY_FULL' },
  'POST /v1/partner/referrals/{referralId}/attendance': { attended: true },
  'POST /v1/partner/referrals/{referralId}/outcome': { outcome: 'EMPLOYMENT' },
  'POST /v1/partner/links/{token}/accept': {},
  'POST /v1/partner/links/{token}/decline': { reason: 'CAPACITY_FULL' },
  'POST /v1/partners': {},
  'PATCH /v1/partners/{id}': { monthlyCapacity: -1 },
  'POST /v1/partners/import': {},
  'PUT /v1/policy': { referralExpiresAfter: 'seven days' },
  'POST /v1/policy/simulations': { policy: { referralExpiresAfter: 'seven days' }, cohort: { size: 1 } },
  'POST /v1/cases/{caseId}/referrals': { partnerId, force: true },
  'POST /v1/temporal-codec/decode': {},
  'POST /v1/temporal-codec/encode': {},
  'PUT /v1/youths/{caseId}/consent': { channels: ['SMS', 'EMAIL'] },
  'POST /v1/auth/links': {},
  'POST /v1/users': {},
});

const SECONDS_POLICY: Partial<Policy> = {
  nudgeOffsets: ['PT0S'],
  escalateUnresponsiveAfter: 'PT60S',
  closeUnreachableAfter: 'PT120S',
  partnerReminderAfter: 'PT30S',
  referralExpiresAfter: 'PT60S',
};

describe('authorisation matrix: every route × every kind of caller', () => {
  let sys: TestSystem;
  let caseId: string;
  let referralId: string;
  let partnerId: string;
  let document: OpenApiDocument;
  const credentials = {} as Record<Caller, string | undefined>;
  const linkTokens = {} as Record<Caller, string>;

  beforeAll(async () => {
    sys = await startTestSystem();
    const form = aForm();
    sys.policies.use(form.submissionId, await savePolicyVersion(sys.dataSource, SECONDS_POLICY));
    caseId = (await sys.http().post('/v1/intake/forms').send(form).expect(201)).body.caseId;
    await waitForStage(sys, caseId, 'ENGAGING');
    await journeyOf(sys, caseId).signal(youthRepliedSignal, { channel: 'SMS' });
    const referral = await pendingReferral(sys, caseId, 1);
    referralId = referral.id;
    partnerId = referral.partner_id;
    await sys
      .http()
      .post(`/v1/cases/${caseId}/close`)
      .set('Authorization', `Bearer ${sys.token('admin')}`)
      .send({ reason: 'WITHDRAWN' })
      .expect(200);
    await waitForStage(sys, caseId, 'CLOSED');

    const linkSecret = partnerLinkSecret(jwtSecret());
    const inAnHour = new Date(Date.now() + 3_600_000);
    const otherReferralLink = signReferralLink(randomUUID(), inAnHour, linkSecret);
    const jwtOf = (role: 'counsellor' | 'partner' | 'manager' | 'admin', extra = {}) =>
      signToken({ sub: `matrix-${role}`, role, ...extra });
    Object.assign(credentials, {
      none: undefined,
      malformed: 'not.a.jwt',
      expired: signToken({ sub: 'matrix', role: 'admin' }, undefined, -120),
      wrongSecret: signToken({ sub: 'matrix', role: 'admin' }, 'another-secret-of-enough-length'),
      counsellorIn: jwtOf('counsellor', { territories: ['75'] }),
      counsellorOut: jwtOf('counsellor', { territories: ['971', '13'] }),
      partnerOwner: jwtOf('partner', { partnerId }),
      partnerOther: jwtOf('partner', { partnerId: `${partnerId}-other` }),
      manager: jwtOf('manager'),
      admin: jwtOf('admin'),
      linkOther: otherReferralLink,
    });
    // What each caller puts in a signed-link route's path.
    const [payload, signature] = otherReferralLink.split('.');
    const retargeted = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/^[^.]+/, referralId),
    ).toString('base64url');
    Object.assign(linkTokens, {
      none: 'no-link',
      malformed: 'not.a.link',
      expired: signReferralLink(referralId, new Date(Date.now() - 60_000), linkSecret),
      wrongSecret: signReferralLink(referralId, inAnHour, 'another-secret-of-enough-length'),
      counsellorIn: credentials.counsellorIn,
      counsellorOut: credentials.counsellorOut,
      partnerOwner: signReferralLink(referralId, inAnHour, linkSecret),
      partnerOther: credentials.partnerOther,
      manager: credentials.manager,
      admin: credentials.admin,
      linkOther: `${retargeted}.${signature}`,
    });
    document = (await sys.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => sys?.stop());

  const routesOf = () => operationsOf(document).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
  /** Routes whose refusals are pages for a browser, as the document declares them. */
  const pages = () =>
    new Set(
      operationsOf(document)
        .filter(({ operation }) => refusesWithPage(operation))
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`),
    );

  it('has one row per route of the OpenAPI document, and no row for a route that does not exist', () => {
    const routes = routesOf();
    expect(routes.filter((route) => !MATRIX[route])).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it('every cell answers its expected status, refusals in the error shape', async () => {
    const pathOf = (template: string, caller: Caller) =>
      template
        .replace('{caseId}', caseId)
        .replace('{referralId}', referralId)
        .replace('{id}', partnerId)
        .replace('{postalCode}', '75011')
        .replace('{conversationId}', randomUUID())
        .replace('{token}', encodeURIComponent(linkTokens[caller]));
    const browserPages = pages();
    expect([...browserPages]).toEqual(['GET /v1/auth/links/{token}']);
    const wrong: string[] = [];
    const BODIES = bodies(partnerId);
    // The erasure last: it is the one allowed cell that changes the case the others read.
    const routes = Object.keys(MATRIX).sort(
      (a, b) => Number(a.startsWith('DELETE /v1/youths')) - Number(b.startsWith('DELETE /v1/youths')),
    );
    for (const route of routes) {
      const [method, template] = route.split(' ');
      for (const caller of CALLERS) {
        let req = sys.http()[method.toLowerCase() as 'get'](pathOf(template, caller));
        if (credentials[caller]) req = req.set('Authorization', `Bearer ${credentials[caller]}`);
        if (route in BODIES) req = req.send(BODIES[route]);
        const res = await req;
        const expected = MATRIX[route][caller];
        if (res.status !== expected) wrong.push(`${route} as ${caller}: ${res.status} (expected ${expected}) ${JSON.stringify(res.body)}`);
        else if (res.status >= 400 && !browserPages.has(route)) {
          const shaped = typeof res.body?.error === 'string' && typeof res.body?.message === 'string' && Array.isArray(res.body?.details);
          if (!shaped) wrong.push(`${route} as ${caller}: ${res.status} not in the error shape: ${res.text.slice(0, 200)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    const size = Object.keys(MATRIX).length * CALLERS.length;
    expect(size).toBeGreaterThanOrEqual(45 * 11);
  });

  it('a counsellor outside the territories does not see the case in the list either', async () => {
    const listed = async (caller: Caller) =>
      (
        await sys.http().get('/v1/cases?pageSize=200&stage=CLOSED').set('Authorization', `Bearer ${credentials[caller]}`).expect(200)
      ).body.items.some((item: { caseId: string }) => item.caseId === caseId);
    expect(await listed('counsellorIn')).toBe(true);
    expect(await listed('counsellorOut')).toBe(false);
  });

  it('tokens: alg none, an HS256 token made with a public key, no exp: 401', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 600;
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'admin', exp })}.`;
    const publicKeyHmac = jwt.sign(
      { sub: 'x', role: 'admin', exp },
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0B\n-----END PUBLIC KEY-----',
    );
    const noExp = jwt.sign({ sub: 'x', role: 'admin' }, jwtSecret(), { algorithm: 'HS256' });
    for (const token of [none, publicKeyHmac, noExp]) {
      const res = await sys.http().get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`).expect(401);
      expect(res.body.error).toBe('Unauthorized');
    }
  });
});
