import { DIPLOMA_LEVELS, PARTNER_TYPES } from './codes';
import { PARTNER_ID_PATTERN, PARTNER_TYPE_DEFAULTS } from './partner';

describe('PARTNER_TYPE_DEFAULTS', () => {
  it('follows the table of PRODUCT.md', () => {
    const table = Object.fromEntries(
      PARTNER_TYPES.map((t) => [
        t,
        [PARTNER_TYPE_DEFAULTS[t].minAge, PARTNER_TYPE_DEFAULTS[t].maxAge, PARTNER_TYPE_DEFAULTS[t].diplomaLevels.join(' ')],
      ]),
    );
    const any = DIPLOMA_LEVELS.join(' ');
    expect(table).toEqual({
      MISSION_LOCALE: [16, 25, any],
      FRANCE_TRAVAIL: [16, 99, any],
      E2C: [16, 25, 'NONE CAP_BEP'],
      EPIDE: [17, 25, 'NONE CAP_BEP'],
      CCI: [16, 29, any],
      GEIQ: [16, 99, 'NONE CAP_BEP BAC'],
      MFR: [15, 25, 'NONE CAP_BEP BAC'],
    });
  });

  it('gives every type a label and at least one wish', () => {
    for (const t of PARTNER_TYPES) {
      expect(PARTNER_TYPE_DEFAULTS[t].label).not.toBe('');
      expect(PARTNER_TYPE_DEFAULTS[t].wishes.length).toBeGreaterThan(0);
    }
  });
});

describe('PARTNER_ID_PATTERN', () => {
  it.each(['ml-75', 'epide-france', 'geiq_2a-01'])('accepts %s', (id) => expect(PARTNER_ID_PATTERN.test(id)).toBe(true));
  it.each(['', 'ML-75', 'ml 75', '-ml', 'a'.repeat(65)])('rejects %p', (id) => expect(PARTNER_ID_PATTERN.test(id)).toBe(false));
});
