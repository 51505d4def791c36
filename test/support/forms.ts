import { randomUUID } from 'node:crypto';

let counter = 0;
/** Test files load seconds apart and send far fewer forms than that in ms: phones stay unique per run. */
const LOADED_AT = Date.now();

/** A valid form for a 20-year-old in Paris; every test person gets a fresh email and phone. */
export function aForm(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}`;
  // 06 12 then 6 digits: a mainland mobile (0690…, 0696… would be overseas numbers, +590, +596).
  const digits = String((LOADED_AT + counter) % 1_000_000).padStart(6, '0');
  return {
    submissionId: randomUUID(),
    firstName: 'Léa',
    lastName: `Martin-${unique}`,
    birthDate: yearsAgo(20),
    email: `lea.${unique}@example.org`,
    phone: `0612${digits}`,
    postalCode: '75011',
    diplomaLevel: 'CAP_BEP',
    situation: 'LOOKING_FOR_JOB',
    barriers: ['MOBILITY'],
    wishes: ['JOB'],
    consent: { dataProcessing: true, shareWithPartners: true, channels: ['SMS', 'EMAIL'] },
    source: { channel: 'INSTAGRAM', campaign: 'rentree-2026' },
    ...overrides,
  };
}

/** A birth date `years` years and a few days ago (so the age is exactly `years`). */
export function yearsAgo(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 3);
  return d.toISOString().slice(0, 10);
}
