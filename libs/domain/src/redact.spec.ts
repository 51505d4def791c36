import { redactPersonalData } from './redact';

describe('redactPersonalData', () => {
  it('takes out emails, phone numbers and calendar dates, whatever surrounds them', () => {
    const text =
      'SMS to +33 6 12 34 56 78 refused; mail to (lea.martin@example.org) bounced; born 2005-03-01, or 01/03/2005, or 12005-03-01';
    const redacted = redactPersonalData(text);
    expect(redacted).toBe('SMS to <numéro> refused; mail to (<adresse>) bounced; born <date>, or <date>, or <date>');
  });

  it('keeps what says what went wrong, and caps the length', () => {
    expect(redactPersonalData('SMS provider answered HTTP 500')).toBe('SMS provider answered HTTP 500');
    expect(redactPersonalData('x'.repeat(900))).toHaveLength(500);
  });
});
