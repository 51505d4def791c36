import { isEmail } from 'class-validator';
import { normalizeEmail, normalizePhone } from '@walt/domain';
import type { Unusable } from '../flow/steps';

export type ContactParse = { phone?: string; email?: string } | { problem: Unusable } | null;

const EMAIL_LIKE = /[^\s<>()[\],;:"]*@[^\s<>()[\],;:"]*/g;
const PHONE_LIKE = /(?:\+|00)?\d[\d\s.\-()]{7,}\d/g;

/**
 * Phone numbers in every usual French shape (06 12 34 56 78, 06.12.34.56.78, +33 6 12…, 0033…,
 * 0690 for Guadeloupe) and emails, as the form normalises them (libs/domain), the same check of
 * an address as the form's (class-validator's isEmail). Both may come in one message.
 */
export function parseContact(text: string): ContactParse {
  const emails = [...text.matchAll(EMAIL_LIKE)].map((m) => m[0].replace(/[.!?]+$/, ''));
  const rest = emails.reduce((t, e) => t.replace(e, ' '), text);
  const phones = [...rest.matchAll(PHONE_LIKE)].map((m) => m[0].trim());
  const email = emails.find((e) => isEmail(e));
  const phone = phones.map((p) => normalizePhone(p)).find((p): p is string => p !== null);
  if (email || phone) {
    if (emails.length && !email && !phone) return { problem: 'EMAIL_INVALID' };
    return { ...(phone ? { phone } : {}), ...(email ? { email: normalizeEmail(email) } : {}) };
  }
  if (emails.length) return { problem: 'EMAIL_INVALID' };
  if (phones.length || /\d{6,}/.test(text.replace(/\s/g, ''))) return { problem: 'PHONE_INVALID' };
  return null;
}
