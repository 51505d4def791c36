import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Inbound SMS: what a reply means, and the shared-secret signature of the provider's webhook
 * (`X-Signature: hex(HMAC-SHA256(SMS_INBOUND_SECRET, rawBody))`).
 */
export type InboundIntent = 'STOP' | 'REPLY';

const STOP_WORDS = new Set(['STOP', 'ARRET']);

/** `STOP`, `stop `, `Arrêt.` → STOP; anything else is a reply for the journey. */
export function inboundIntent(text: string): InboundIntent {
  const word = String(text ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .replace(/[\s.!]+$/u, '')
    .toUpperCase();
  return STOP_WORDS.has(word) ? 'STOP' : 'REPLY';
}

export function signInbound(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

export function verifyInboundSignature(secret: string, rawBody: Buffer | string, signature: string | undefined): boolean {
  if (!secret || typeof signature !== 'string' || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  return timingSafeEqual(Buffer.from(signInbound(secret, rawBody), 'hex'), Buffer.from(signature.trim(), 'hex'));
}
