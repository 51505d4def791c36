import { partnerLinkSecret, readReferralLink, referralLinkUrl, signReferralLink, verifyReferralLink } from './referral-link';

const secret = 'a-test-secret-of-enough-length';
const referralId = '0b6f3a52-6a8e-4b0e-9d7e-2f1f3c9a1b11';
const now = new Date('2026-03-01T10:00:00Z');
const inADay = new Date('2026-03-02T10:00:00Z');

describe('signed referral links', () => {
  it('a signed token verifies to its referral until it expires', () => {
    const token = signReferralLink(referralId, inADay, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/); // URL-safe as is
    expect(token).not.toContain(referralId); // opaque
    expect(verifyReferralLink(token, secret, now)).toEqual({ referralId });
    expect(readReferralLink(token, secret)).toEqual({ referralId, expiresAt: inADay });
  });

  it('expired → null (but still readable, so the API can say it expired)', () => {
    const token = signReferralLink(referralId, inADay, secret);
    expect(verifyReferralLink(token, secret, inADay)).toBeNull();
    expect(verifyReferralLink(token, secret, new Date('2026-03-03T00:00:00Z'))).toBeNull();
    expect(readReferralLink(token, secret)?.referralId).toBe(referralId);
  });

  it('tampered, re-signed with another key or malformed → null', () => {
    const token = signReferralLink(referralId, inADay, secret);
    const [payload, signature] = token.split('.');
    const otherReferral = Buffer.from(`1b6f3a52-6a8e-4b0e-9d7e-2f1f3c9a1b11.${inADay.getTime() / 1000}`).toString('base64url');
    const later = Buffer.from(`${referralId}.${inADay.getTime() / 1000 + 86400}`).toString('base64url');
    const flip = (text: string, i: number) => text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    for (const bad of [
      `${otherReferral}.${signature}`,
      `${later}.${signature}`,
      `${payload}.${flip(signature, 10)}`,
      `${payload}.${flip(signature, signature.length - 1)}`, // even in the last character's unused bits
      `${payload}.${signature}=`,
      `${payload}.${signature.slice(0, 20)}*${signature.slice(20)}`,
      `${payload}.${signature.slice(0, 10)}`,
      signReferralLink(referralId, inADay, 'another-secret-of-enough-length'),
      '',
      'x',
      `${payload}.${signature}.extra`,
      `${payload}`,
    ]) {
      expect(verifyReferralLink(bad, secret, now)).toBeNull();
    }
  });

  it('the secret: configured, derived from the JWT secret outside production, required in production', () => {
    expect(partnerLinkSecret('jwt-secret-0123456789', { PARTNER_LINK_SECRET: 'configured-secret-0123' })).toBe('configured-secret-0123');
    const derived = partnerLinkSecret('jwt-secret-0123456789', { NODE_ENV: 'test' });
    expect(derived).not.toBe('jwt-secret-0123456789');
    expect(partnerLinkSecret('jwt-secret-0123456789', {})).toBe(derived);
    expect(() => partnerLinkSecret('jwt-secret-0123456789', { NODE_ENV: 'production' })).toThrow(/PARTNER_LINK_SECRET is required/);
    expect(() => partnerLinkSecret('x', { PARTNER_LINK_SECRET: 'short' })).toThrow(/at least 16/);
  });

  it('the URL a partner opens', () => {
    expect(referralLinkUrl('abc.def', { PUBLIC_BASE_URL: 'https://walt.example.org/' })).toBe('https://walt.example.org/lien/abc.def');
  });
});
