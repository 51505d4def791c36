import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { CLOCK_SKEW_SECONDS, signToken, verifyToken } from './jwt';

const SECRET = 'a-secret-of-enough-length-for-tests';
const NOW = new Date('2026-06-15T10:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
// iat given: jsonwebtoken would otherwise stamp the real time, which is not NOW.
const claims = { sub: 'c-1', role: 'counsellor', iat: nowSeconds };
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('bearer tokens', () => {
  it('a token we signed, within its lifetime, gives its principal', () => {
    const token = jwt.sign({ ...claims, exp: nowSeconds + 600 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(token, SECRET, NOW)).toEqual({ sub: 'c-1', role: 'counsellor', partnerId: undefined, territories: undefined });
    expect(verifyToken(signToken({ sub: 'a', role: 'admin' }, SECRET), SECRET)).toMatchObject({ role: 'admin' });
  });

  it('alg none is refused, with or without a signature part', () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, exp: nowSeconds + 600 })}`;
    expect(verifyToken(`${unsigned}.`, SECRET, NOW)).toBeNull();
    expect(verifyToken(unsigned, SECRET, NOW)).toBeNull();
  });

  it('an HS256 token whose HMAC key is a public key (the RS256/HS256 confusion) is refused', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // Signed by hand: jsonwebtoken itself refuses to use a PEM key as an HMAC secret.
    const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ ...claims, role: 'admin', exp: nowSeconds + 600 })}`;
    const forged = `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
    expect(verifyToken(forged, SECRET, NOW)).toBeNull();
    // And an RS256 token is refused whatever its key: only HS256 is accepted.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(verifyToken(jwt.sign({ ...claims, exp: nowSeconds + 600 }, privateKey, { algorithm: 'RS256' }), SECRET, NOW)).toBeNull();
  });

  it('exp is required', () => {
    const forever = jwt.sign({ ...claims }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(forever, SECRET, NOW)).toBeNull();
  });

  it('clock skew is allowed up to CLOCK_SKEW_SECONDS, no further', () => {
    const expiringAt = (exp: number) => jwt.sign({ ...claims, exp, iat: exp - 600 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(expiringAt(nowSeconds - CLOCK_SKEW_SECONDS + 5), SECRET, NOW)).not.toBeNull();
    expect(verifyToken(expiringAt(nowSeconds - CLOCK_SKEW_SECONDS - 5), SECRET, NOW)).toBeNull();
    const issuedAt = (iat: number) => jwt.sign({ ...claims, iat, exp: iat + 600 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(issuedAt(nowSeconds + CLOCK_SKEW_SECONDS - 5), SECRET, NOW)).not.toBeNull();
    expect(verifyToken(issuedAt(nowSeconds + CLOCK_SKEW_SECONDS + 60), SECRET, NOW)).toBeNull();
    const notBefore = (nbf: number) => jwt.sign({ ...claims, nbf, exp: nbf + 600 }, SECRET, { algorithm: 'HS256' });
    expect(verifyToken(notBefore(nowSeconds + CLOCK_SKEW_SECONDS + 60), SECRET, NOW)).toBeNull();
  });

  it('another secret, a partner without partnerId, an unknown role: refused', () => {
    const exp = nowSeconds + 600;
    expect(verifyToken(jwt.sign({ ...claims, exp }, 'another-secret-of-enough-length'), SECRET, NOW)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'p', role: 'partner', exp }, SECRET), SECRET, NOW)).toBeNull();
    expect(verifyToken(jwt.sign({ sub: 'x', role: 'root', exp }, SECRET), SECRET, NOW)).toBeNull();
  });
});
