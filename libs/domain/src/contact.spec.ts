import { normalizeEmail, normalizePhone } from './contact';

describe('normalizePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['0690 12 34 56', '+590690123456'],
    ['0696123456', '+596696123456'],
    ['0694 12 34 56', '+594694123456'],
    ['0692123456', '+262692123456'],
  ])('%s → %s', (raw, e164) => expect(normalizePhone(raw)).toBe(e164));

  it.each(['12345', '06 12 34', 'abc', '+0612345678', '061234567890'])('rejects %p', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});

it('normalizeEmail lower-cases and trims', () => expect(normalizeEmail(' Lea.M@Example.ORG ')).toBe('lea.m@example.org'));
