import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring, single-referral links for partners without an account (PRODUCT.md:
 * "Many partners will not create an account: they act from a signed link in an email").
 *
 * Token: `<payload>.<signature>`, both base64url, where payload = `<referralId>.<expiry in
 * epoch seconds>` and signature = HMAC-SHA256(secret, payload). It names the referral only
 * (a random id, no personal data), so a token in a mail log or a proxy log reveals nothing.
 */
export interface ReferralLink {
  referralId: string;
  expiresAt: Date;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest();

export function signReferralLink(referralId: string, expiresAt: Date, secret: string): string {
  if (!referralId || referralId.includes('.')) throw new Error(`Not a referral id: ${referralId}`);
  const payload = `${referralId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return `${b64url(payload)}.${b64url(mac(payload, secret))}`;
}

/**
 * The referral a correctly signed token names, and when it expires, whether or not it has
 * expired yet (so the API can say "this link expired" rather than "this link is not valid").
 * Null for anything malformed or not signed with `secret`.
 */
export function readReferralLink(token: string, secret: string): ReferralLink | null {
  if (typeof token !== 'string' || token.length > 512) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const payloadBytes = Buffer.from(parts[0], 'base64url');
  const given = Buffer.from(parts[1], 'base64url');
  // Node decodes base64 leniently (stray characters, unused trailing bits): only the canonical
  // spelling of a token is accepted, so one signature never has several valid spellings.
  if (b64url(payloadBytes) !== parts[0] || b64url(given) !== parts[1]) return null;
  const payload = payloadBytes.toString('utf8');
  const expected = mac(payload, secret);
  // Length first: timingSafeEqual throws on different lengths; the compare itself is constant-time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const match = /^([^.]+)\.(\d{1,12})$/.exec(payload);
  if (!match) return null;
  return { referralId: match[1], expiresAt: new Date(Number(match[2]) * 1000) };
}

/** `{ referralId }` for a valid, unexpired token; null if tampered, malformed or expired. */
export function verifyReferralLink(token: string, secret: string, now = new Date()): { referralId: string } | null {
  const link = readReferralLink(token, secret);
  return link && link.expiresAt.getTime() > now.getTime() ? { referralId: link.referralId } : null;
}

/**
 * The key that signs partner links: PARTNER_LINK_SECRET, or outside production a key derived
 * from the JWT secret (so `npm start` works as cloned, and the API and the worker, which both
 * know the JWT secret, agree without more configuration). Derived rather than reused, so a
 * link signature can never be replayed as a JWT signature or the other way round.
 */
export function partnerLinkSecret(jwtSecret: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PARTNER_LINK_SECRET;
  if (configured) {
    if (configured.length < 16) throw new Error('PARTNER_LINK_SECRET must be at least 16 characters long.');
    return configured;
  }
  if (env.NODE_ENV === 'production')
    throw new Error('PARTNER_LINK_SECRET is required in production (it signs the links in partner emails).');
  return createHmac('sha256', jwtSecret).update('walt:partner-links').digest('base64url');
}

/** Where partners and emails reach the API: PUBLIC_BASE_URL (the API as the outside world sees it). */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
}

/** The URL a partner opens for one referral: the web page (API.md, Web), which calls /v1/partner/links/{token}. */
export function referralLinkUrl(token: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${publicBaseUrl(env)}/lien/${token}`;
}
