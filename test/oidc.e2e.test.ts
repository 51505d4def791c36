import { createServer, Server } from 'node:http';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import jwt from 'jsonwebtoken';
import { JwksCache, oidcConfig, signToken } from '@walt/auth';
import { UsersRepository } from '@walt/persistence';
import { AuthGuard } from '../apps/api/src/auth/auth.guard';
import { Clock } from '../apps/api/src/common/clock';
import { startTestSystem, TestSystem } from './support/test-system';

/** A provider's signing key: what it signs with, and what its JWKS publishes. */
interface ProviderKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function providerKey(kid: string, alg: 'RS256' | 'ES256'): ProviderKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

const ISSUER = 'https://idp.example.test/realms/walt';
const AUDIENCE = 'walt-api';

describe('OIDC bearer tokens, verified against the provider JWKS', () => {
  let sys: TestSystem;
  let jwks: Server;
  let published: ProviderKey[];
  let jwksRequests = 0;
  const keyA = providerKey('key-a', 'RS256');
  const keyB = providerKey('key-b', 'ES256');
  const saved = { ...process.env };

  const sign = (key: ProviderKey, claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign({ sub: 'u-1', groups: ['walt-counsellor'], dept: '971 972', ...claims }, key.privateKey, {
      algorithm: key.alg,
      keyid: key.kid,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: '5m',
      ...options,
    });
  const me = (token: string) => sys.http().get('/v1/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    published = [keyA];
    jwks = createServer((req, res) => {
      jwksRequests++;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => jwks.listen(3701, '127.0.0.1', resolve));
    Object.assign(process.env, {
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
      // Claims as a Keycloak realm would send them: a list of groups, territories as a string.
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'walt-counsellor=counsellor,walt-partner=partner,walt-manager=manager',
      OIDC_TERRITORIES_CLAIM: 'dept',
      OIDC_PARTNER_ID_CLAIM: 'org',
      OIDC_JWKS_REFRESH_COOLDOWN_SECONDS: '0',
    });
    sys = await startTestSystem();
  });
  afterAll(async () => {
    await sys?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
    process.env = saved;
  });

  it('a valid provider token is accepted, its role and territories mapped from the configured claims', async () => {
    const res = await me(sign(keyA, {})).expect(200);
    expect(res.body).toMatchObject({ userId: 'u-1', role: 'counsellor', territories: ['971', '972'] });
    const partner = await me(sign(keyA, { sub: 'p-1', groups: ['staff', 'walt-partner'], org: 'ml-971' })).expect(200);
    expect(partner.body).toMatchObject({ role: 'partner', partnerId: 'ml-971' });
  });

  it('wrong issuer, wrong audience, an expired token, a refused algorithm, an unmapped role → 401 in the error shape', async () => {
    const hmac = jwt.sign({ sub: 'u-1', groups: ['walt-counsellor'] }, 'a-secret-of-enough-length', {
      algorithm: 'HS384',
      keyid: 'key-a',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: '5m',
    });
    const rs512 = jwt.sign({ sub: 'u-1', groups: ['walt-counsellor'] }, keyA.privateKey, {
      algorithm: 'RS512',
      keyid: 'key-a',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: '5m',
    });
    const refused = {
      issuer: sign(keyA, {}, { issuer: 'https://elsewhere.example.test' }),
      audience: sign(keyA, {}, { audience: 'another-api' }),
      expired: sign(keyA, {}, { expiresIn: -120 }),
      hs384: hmac,
      rs512,
      role: sign(keyA, { groups: ['staff'] }),
      partnerWithoutOrg: sign(keyA, { groups: ['walt-partner'] }),
      unknownKid: sign({ ...keyA, kid: 'nobody' }, {}),
    };
    for (const [why, token] of Object.entries(refused)) {
      const res = await me(token);
      expect([why, res.status]).toEqual([why, 401]);
      expect(res.body).toEqual({ error: 'Unauthorized', message: expect.any(String), details: [] });
    }
  });

  it('after the provider rotates to a new kid (another algorithm), its tokens are accepted without a restart', async () => {
    await me(sign(keyB, {})).expect(401); // not published yet
    published = [keyA, keyB];
    await me(sign(keyB, {})).expect(200);
    published = [keyB]; // key-a retired
    const requestsBefore = jwksRequests;
    await me(sign(keyB, { sub: 'u-2' })).expect(200);
    expect(jwksRequests).toBe(requestsBefore); // a known kid: served from the cache
  });

  it('unknown kids refresh the keys at most once per cooldown', async () => {
    let now = 0;
    const config = oidcConfig({ ...process.env, OIDC_JWKS_REFRESH_COOLDOWN_SECONDS: '30' })!;
    const cache = new JwksCache(config, () => now);
    const before = jwksRequests;
    expect(await cache.key('key-b')).toBeDefined();
    for (const kid of ['x1', 'x2', 'x3']) expect(await cache.key(kid)).toBeUndefined();
    expect(jwksRequests - before).toBe(1);
    now += 31_000;
    await cache.key('x4');
    expect(jwksRequests - before).toBe(2);
  });

  it('HS256 dev tokens are refused when NODE_ENV=production; the provider tokens still work', async () => {
    process.env.NODE_ENV = 'production';
    const guard = new AuthGuard(new Reflector(), sys.app.get(UsersRepository), new Clock());
    process.env.NODE_ENV = saved.NODE_ENV;
    const request = (token: string) =>
      ({
        getHandler: () => function route() {},
        getClass: () => class Controller {},
        switchToHttp: () => ({ getRequest: () => ({ headers: { authorization: `Bearer ${token}` }, method: 'GET' }) }),
      }) as unknown as ExecutionContext;
    await expect(guard.canActivate(request(signToken({ sub: 'a', role: 'admin' })))).rejects.toThrow(/not accepted in production/);
    await expect(guard.canActivate(request(sign(keyB, {})))).resolves.toBe(true);
    // …whereas outside production the same dev token passes
    await me(signToken({ sub: 'a', role: 'admin' })).expect(200);
  });

  it('a half-written or unsafe configuration is refused at start-up with a message naming the variable', () => {
    expect(() => oidcConfig({ OIDC_ISSUER: ISSUER })).toThrow(/OIDC_AUDIENCE, OIDC_JWKS_URL missing/);
    const base = { OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: 'https://idp.example.test/jwks' };
    expect(() => oidcConfig({ ...base, OIDC_ALGORITHMS: 'RS256,HS256' })).toThrow(/OIDC_ALGORITHMS may list only RS256, ES256/);
    expect(() => oidcConfig({ ...base, OIDC_ROLE_MAP: 'staff=root' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => oidcConfig({ ...base, NODE_ENV: 'production', OIDC_JWKS_URL: 'http://idp/jwks' })).toThrow(/https in production/);
    expect(oidcConfig({})).toBeUndefined();
  });
});
