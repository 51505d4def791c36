import { MessageContext } from './context';
import { renderMessage } from './render';
import { EMAIL_STOP, SMS_STOP } from './youth';

const base = (over: Partial<MessageContext> = {}): MessageContext => ({
  purpose: 'WELCOME',
  channel: 'SMS',
  caseId: 'c0ffee00-0000-4000-8000-000000000001',
  timeZone: 'Europe/Paris',
  youth: { firstName: 'Léa', age: 20, diplomaLevel: 'CAP_BEP', wishes: ['JOB', 'TRAINING'], communeName: 'Paris', departement: '75' },
  partner: { name: 'Mission Locale de Paris', contactEmail: 'accueil@ml-paris.example' },
  referral: {
    id: 'aaaaaaaa-0000-4000-8000-000000000002',
    sentAt: new Date('2026-01-13T09:00:00Z'),
    dueAt: new Date('2026-01-20T17:00:00Z'),
    appointmentAt: new Date('2026-01-22T13:30:00Z'),
    link: 'http://127.0.0.1:3000/v1/partner/links/TOKEN',
  },
  event: {},
  caseUrl: 'http://127.0.0.1:3000/v1/cases/c0ffee00-0000-4000-8000-000000000001',
  ...over,
});

const YOUTH_PURPOSES = [
  'WELCOME',
  'NUDGE_1',
  'NUDGE_2',
  'NUDGE_3',
  'NUDGE_7',
  'REFERRAL_ACCEPTED',
  'APPOINTMENT_REMINDER',
  'NO_SHOW',
  'CHECK_IN',
  'ANONYMISATION_NOTICE',
];

describe('messages to young people', () => {
  it.each(YOUTH_PURPOSES)('%s by SMS: "tu", the first name, short, and the STOP line', (purpose) => {
    const { text, subject } = renderMessage('YOUTH', base({ purpose }));
    expect(subject).toBeUndefined();
    expect(text).toContain('Léa');
    expect(text.endsWith(SMS_STOP)).toBe(true);
    expect(text).not.toMatch(/(?<![-\w])vous\b/i); // "rendez-vous" is fine
    expect(text.length).toBeLessThanOrEqual(240);
  });

  it.each(YOUTH_PURPOSES)('%s by email: a subject, the text and a way to stop', (purpose) => {
    const { text, subject } = renderMessage('YOUTH', base({ purpose, channel: 'EMAIL' }));
    expect(subject).toBeTruthy();
    expect(text).toContain(EMAIL_STOP);
    expect(text).not.toMatch(/(?<![-\w])vous\b/i); // "rendez-vous" is fine
  });

  it.each(['A', 'B'])('nudges in variant %s: "tu", short, the STOP line, and a wording of its own', (variant) => {
    const texts = ['NUDGE_1', 'NUDGE_2', 'NUDGE_3'].map((purpose) => renderMessage('YOUTH', base({ purpose, variant })).text);
    for (const text of texts) {
      expect(text.endsWith(SMS_STOP)).toBe(true);
      expect(text).not.toMatch(/(?<![-\w])vous\b/i);
      expect(text.length).toBeLessThanOrEqual(240);
    }
    const other = ['NUDGE_1', 'NUDGE_2', 'NUDGE_3'].map(
      (purpose) => renderMessage('YOUTH', base({ purpose, variant: variant === 'A' ? 'B' : 'A' })).text,
    );
    texts.forEach((text, i) => expect(text).not.toBe(other[i]));
  });

  it('a nudge queued without a variant (before the experiment) reads the original wording', () => {
    expect(renderMessage('YOUTH', base({ purpose: 'NUDGE_1' })).text).toBe(
      renderMessage('YOUTH', base({ purpose: 'NUDGE_1', variant: 'A' })).text,
    );
    expect(renderMessage('YOUTH', base({ purpose: 'NUDGE_1', variant: 'Z' })).text).toContain('on pense à toi');
  });

  it('welcomes warmly with one next step', () => {
    expect(renderMessage('YOUTH', base()).text).toBe(
      'Salut Léa ! Ta demande est bien arrivée. Réponds à ce message et on en parle ensemble pour trouver ta suite : job, formation ou autre projet. ' +
        SMS_STOP,
    );
  });

  it('reads well without a first name', () => {
    const text = renderMessage('YOUTH', base({ youth: { ...base().youth, firstName: null } })).text;
    expect(text.startsWith('Salut ! Ta demande est bien arrivée.')).toBe(true);
  });

  it("acceptance names the partner, its email and the appointment in the young person's time zone", () => {
    const paris = renderMessage('YOUTH', base({ purpose: 'REFERRAL_ACCEPTED' })).text;
    expect(paris).toContain('Mission Locale de Paris');
    expect(paris).toContain('accueil@ml-paris.example');
    expect(paris).toContain('jeudi 22 janvier à 14h30'); // 13:30 UTC = 14:30 in Paris
    const guadeloupe = renderMessage('YOUTH', base({ purpose: 'REFERRAL_ACCEPTED', timeZone: 'America/Guadeloupe' })).text;
    expect(guadeloupe).toContain('jeudi 22 janvier à 09h30'); // 13:30 UTC = 09:30 in Guadeloupe
  });

  it('acceptance without an appointment says the partner will call', () => {
    const text = renderMessage(
      'YOUTH',
      base({ purpose: 'REFERRAL_ACCEPTED', referral: { ...base().referral!, appointmentAt: null } }),
    ).text;
    expect(text).toContain('va te contacter');
  });

  it('has no template for a purpose meant for staff', () => {
    expect(() => renderMessage('YOUTH', base({ purpose: 'REFERRAL_NEW' }))).toThrow(/No template for REFERRAL_NEW to YOUTH/);
  });
});

describe('messages to partners', () => {
  const partner = (purpose: string) => renderMessage('PARTNER', base({ purpose, channel: 'EMAIL' }));

  it('REFERRAL_NEW: "vous", the profile without identity, the signed link and its deadline', () => {
    const { subject, text } = partner('REFERRAL_NEW');
    expect(subject).toBe('Nouvelle orientation à traiter avant le 20/01/2026');
    expect(text).toContain('Bonjour,');
    expect(text).toMatch(/\bvous\b/);
    expect(text).toContain('- 20 ans, niveau CAP/BEP, habite Paris (75)');
    expect(text).toContain('- souhaite : un emploi et une formation');
    expect(text).toContain('avant le mardi 20 janvier à 18h00');
    expect(text).toContain('http://127.0.0.1:3000/v1/partner/links/TOKEN');
    expect(text).not.toContain('Léa');
    expect(text).not.toMatch(/\btu\b|\bton\b|\bta\b/);
  });

  it('REFERRAL_REMINDER repeats the link and the deadline', () => {
    const { subject, text } = partner('REFERRAL_REMINDER');
    expect(subject).toContain('Rappel');
    expect(text).toContain('le 13/01/2026');
    expect(text).toContain('http://127.0.0.1:3000/v1/partner/links/TOKEN');
  });

  it('REFERRAL_EXPIRED says no action is needed', () => {
    expect(partner('REFERRAL_EXPIRED').text).toContain("Aucune action n'est attendue de votre part.");
  });
});

describe('messages to counsellors', () => {
  it('COUNSELLOR_ALERT says why and links the case', () => {
    const { subject, text } = renderMessage(
      'COUNSELLOR',
      base({ purpose: 'COUNSELLOR_ALERT', channel: 'EMAIL', event: { why: 'UNRESPONSIVE' } }),
    );
    expect(subject).toBe('Dossier à reprendre : le jeune ne répond pas aux relances');
    expect(text).toContain('Ouvrir le dossier : http://127.0.0.1:3000/v1/cases/c0ffee00-0000-4000-8000-000000000001');
  });

  it('CHECK_IN_DUE names the check-in', () => {
    expect(renderMessage('COUNSELLOR', base({ purpose: 'CHECK_IN_DUE', channel: 'EMAIL', event: { seq: 2 } })).subject).toBe(
      'Point de suivi n°2 à faire',
    );
  });

  it('DELIVERY_FAILED names the message, the attempts and the error', () => {
    const { subject, text } = renderMessage(
      'COUNSELLOR',
      base({
        purpose: 'DELIVERY_FAILED',
        channel: 'EMAIL',
        event: { purpose: 'NUDGE_2', channel: 'SMS', attempts: 5, error: 'SMS provider answered HTTP 500' },
      }),
    );
    expect(subject).toBe('Message non distribué : relance n°2 (SMS)');
    expect(text).toContain('après 5 tentative(s)');
    expect(text).toContain('SMS provider answered HTTP 500');
  });
});
