import jwt from 'jsonwebtoken';
import { ROLES, Role } from '@walt/domain';
import type { Principal } from './principal';

/** Used only where no JWT_SECRET is set outside production, so `npm start` works as cloned. */
export const DEV_JWT_SECRET = 'walt-dev-secret-not-for-production';

export function jwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 16) throw new Error('JWT_SECRET must be at least 16 characters long.');
    return env.JWT_SECRET;
  }
  if (env.NODE_ENV === 'production') throw new Error('JWT_SECRET is required in production.');
  return DEV_JWT_SECRET;
}

export function signToken(principal: Principal, secret = jwtSecret(), expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign({ ...principal }, secret, { algorithm: 'HS256', expiresIn });
}

/**
 * How far apart our clock and the issuer's may be: a token a few seconds past its `exp` (or
 * issued a few seconds "in the future") is still taken, one further off is not.
 */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * Returns the principal, or null for any token that is not ours, expired or malformed. Only
 * HS256 is accepted (so neither `alg: none` nor a token signed with some public key as an HMAC
 * secret gets through), and `exp` is required: a token without one would be valid for ever.
 */
export function verifyToken(token: string, secret = jwtSecret(), now = new Date()): Principal | null {
  try {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const claims = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      clockTimestamp: nowSeconds,
    }) as jwt.JwtPayload;
    if (typeof claims.exp !== 'number') return null;
    if (typeof claims.iat === 'number' && claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) return null;
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return null;
    if (claims.role === 'partner' && typeof claims.partnerId !== 'string') return null;
    const territories = Array.isArray(claims.territories) ? claims.territories.map(String) : undefined;
    return { sub: claims.sub, role: claims.role as Role, partnerId: claims.partnerId, territories };
  } catch {
    return null;
  }
}
