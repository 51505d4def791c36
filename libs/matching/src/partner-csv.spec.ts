import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Partner } from '../../domain/src';
import { parsePartnersCsv, partnersToCsv, PARTNER_CSV_COLUMNS } from './partner-csv';

const SEED_FILE = join(__dirname, '../../../infra/seed/partners.csv');
const HEADER = PARTNER_CSV_COLUMNS.join(',');
const GOOD =
  'ml-75,MISSION_LOCALE,Mission Locale de Paris,75056,DEPARTEMENT:75|EPCI:200054781,16,25,NONE|CAP_BEP|BAC|BAC_2|BAC_3_PLUS,JOB|TRAINING,80,true,ml-75@example.org,';

describe('partner CSV', () => {
  it('round-trips the seed directory', () => {
    const text = readFileSync(SEED_FILE, 'utf8');
    const { partners, errors } = parsePartnersCsv(text);
    expect(errors).toEqual([]);
    expect(partners.length).toBeGreaterThanOrEqual(320);
    expect(partnersToCsv(partners)).toBe(text);
    expect(parsePartnersCsv(partnersToCsv(partners)).partners).toEqual(partners);
  });

  it('reads a valid line into a partner', () => {
    const { partners, errors } = parsePartnersCsv(`${HEADER}\n${GOOD}\n`);
    expect(errors).toEqual([]);
    expect(partners).toEqual([
      {
        id: 'ml-75',
        type: 'MISSION_LOCALE',
        name: 'Mission Locale de Paris',
        communeCode: '75056',
        zones: [
          { kind: 'DEPARTEMENT', code: '75' },
          { kind: 'EPCI', code: '200054781' },
        ],
        minAge: 16,
        maxAge: 25,
        diplomaLevels: ['NONE', 'CAP_BEP', 'BAC', 'BAC_2', 'BAC_3_PLUS'],
        wishes: ['JOB', 'TRAINING'],
        monthlyCapacity: 80,
        active: true,
        contactEmail: 'ml-75@example.org',
      },
    ]);
  });

  it('reports the line and column of a bad line and keeps the good ones', () => {
    const bad = GOOD.replace('ml-75,', 'ml-x,').replace(',16,25,', ',16,abc,');
    const { partners, errors } = parsePartnersCsv(`${HEADER}\n${GOOD}\n${bad}\n`);
    expect(errors).toEqual([{ line: 3, column: 'maxAge', message: 'nombre entier attendu, « abc » trouvé' }]);
    expect(partners.map((p) => p.id)).toEqual(['ml-75']);
  });

  it('checks every field against the vocabulary and the geographic code', () => {
    const line = [
      'Bad Id',
      'ASSOCIATION',
      '',
      '75101', // an arrondissement, not a current commune
      'DEPARTEMENT:20|EPCI:123|REGION:11|COUNTY:9|FRANCE:EU',
      '30',
      '20',
      'NONE|MASTER',
      'JOB|JOB',
      '-1',
      'yes',
      'not-an-email',
      'P1M',
    ].join(',');
    const { partners, errors } = parsePartnersCsv(`${HEADER}\n${line}\n`);
    expect(partners).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'id'],
      [2, 'type'],
      [2, 'name'],
      [2, 'communeCode'],
      [2, 'zones'],
      [2, 'maxAge'],
      [2, 'diplomaLevels'],
      [2, 'wishes'],
      [2, 'monthlyCapacity'],
      [2, 'active'],
      [2, 'contactEmail'],
      [2, 'referralExpiresAfter'],
    ]);
    expect(errors[3].message).toBe('« 75101 » n’est pas un code de commune actuelle : utiliser 75056');
    expect(errors[4].message).toContain('COUNTY:9');
  });

  it('reports unknown zone codes one by one', () => {
    const line = GOOD.replace('DEPARTEMENT:75|EPCI:200054781', 'COMMUNE:99999|DEPARTEMENT:20|EPCI:123|FRANCE:EU');
    expect(parsePartnersCsv(`${HEADER}\n${line}`).errors.map((e) => e.message)).toEqual([
      'code COMMUNE inconnu « 99999 »',
      'code DEPARTEMENT inconnu « 20 »',
      'code EPCI inconnu « 123 »',
      'code FRANCE inconnu « EU »',
    ]);
  });

  it('takes the type defaults for blank criteria, and FRANCE alone as the whole country', () => {
    const line = 'epide-x,EPIDE,"EPIDE, centre ""test""",45234,FRANCE,,,,,20,TRUE,epide@example.org,P14D';
    const { partners, errors } = parsePartnersCsv(`${HEADER}\n${line}`);
    expect(errors).toEqual([]);
    expect(partners[0]).toMatchObject<Partial<Partner>>({
      name: 'EPIDE, centre "test"',
      zones: [{ kind: 'FRANCE', code: 'FR' }],
      minAge: 17,
      maxAge: 25,
      diplomaLevels: ['NONE', 'CAP_BEP'],
      referralExpiresAfter: 'P14D',
    });
    expect(parsePartnersCsv(partnersToCsv(partners)).partners).toEqual(partners);
  });

  it('rejects duplicate ids, wrong field counts and a broken header', () => {
    const { errors } = parsePartnersCsv(`${HEADER}\n${GOOD}\n\n${GOOD}\nml-9,MISSION_LOCALE\n`);
    expect(errors).toEqual([
      { line: 4, column: 'id', message: 'identifiant déjà utilisé ligne 2' },
      { line: 5, column: '', message: '13 colonnes attendues, 2 trouvées' },
    ]);
    expect(parsePartnersCsv('id,type,colour\n').errors.map((e) => [e.line, e.column])).toEqual([
      [1, 'colour'],
      [1, 'name'],
      [1, 'communeCode'],
      [1, 'zones'],
      [1, 'monthlyCapacity'],
      [1, 'active'],
      [1, 'contactEmail'],
    ]);
    expect(parsePartnersCsv('').errors).toEqual([{ line: 1, column: '', message: 'fichier vide : une ligne d’en-tête est attendue' }]);
  });

  it('accepts columns in any order', () => {
    const columns = [...PARTNER_CSV_COLUMNS].reverse();
    const values = GOOD.split(',').reverse();
    expect(parsePartnersCsv(`${columns.join(',')}\n${values.join(',')}`).partners[0].id).toBe('ml-75');
  });
});
