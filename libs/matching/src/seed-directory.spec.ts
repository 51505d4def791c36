import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARTNER_TYPES } from '../../domain/src';
import { generatePartners } from '../../../infra/seed/generate-partners';
import { programmeDepartements } from '../../../infra/seed/programme-territory';
import { parsePartnersCsv, partnersToCsv } from './partner-csv';
import { validatePartner } from './partner-validation';

/** The seed file lives in infra/seed, outside Jest's roots: its checks live here. */
const text = readFileSync(join(__dirname, '../../../infra/seed/partners.csv'), 'utf8');
const { partners, errors } = parsePartnersCsv(text);

describe('seed partner directory (infra/seed/partners.csv)', () => {
  it('is valid and has at least 320 partners of all seven types', () => {
    expect(errors).toEqual([]);
    expect(partners.length).toBeGreaterThanOrEqual(320);
    expect(new Set(partners.map((p) => p.type))).toEqual(new Set(PARTNER_TYPES));
  });

  it('covers every mainland département, Guadeloupe, Martinique and Guyane with a Mission Locale and France Travail', () => {
    const departements = programmeDepartements().map((d) => d.code);
    expect(departements).toHaveLength(96 + 3);
    for (const type of ['MISSION_LOCALE', 'FRANCE_TRAVAIL'] as const) {
      const covered = new Set(
        partners
          .filter((p) => p.type === type && p.active)
          .flatMap((p) => p.zones.filter((z) => z.kind === 'DEPARTEMENT').map((z) => z.code)),
      );
      for (const code of departements) expect([type, code, covered.has(code)]).toEqual([type, code, true]);
    }
  });

  it('has a national-catchment partner and contacts on a reserved domain only', () => {
    expect(partners.some((p) => p.zones.some((z) => z.kind === 'FRANCE'))).toBe(true);
    for (const p of partners) expect(p.contactEmail.endsWith('@example.org')).toBe(true);
  });

  it('is what the generator produces (regenerate with infra/seed/generate-partners.ts)', () => {
    expect(partnersToCsv(generatePartners())).toBe(text);
  });

  it('generates larger directories the same way, deterministically', () => {
    const big = generatePartners(3000, 1);
    expect(big).toHaveLength(3000);
    expect(new Set(big.map((p) => p.id)).size).toBe(3000);
    expect(big.flatMap(validatePartner)).toEqual([]);
    expect(generatePartners(3000, 1)).toEqual(big);
    expect(generatePartners(3000, 2)).not.toEqual(big);
  });
});
