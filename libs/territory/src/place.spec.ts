import { communeExists, communesOfPostalCode, currentCommuneCode, placeOfCommune, resolvePostalCode } from './place';

describe('resolvePostalCode', () => {
  it('resolves a Paris arrondissement postal code to the commune of Paris', () => {
    expect(resolvePostalCode('75001')).toEqual({
      postalCode: '75001',
      communeCode: '75056',
      communeName: 'Paris',
      epci: '200054781', // Métropole du Grand Paris
      departement: '75',
      region: '11',
      timeZone: 'Europe/Paris',
      population: expect.any(Number),
      choice: 'ONLY',
    });
  });

  it('accepts the arrondissement code an address API returns, only with its own postal code', () => {
    expect(resolvePostalCode('75001', '75101')).toMatchObject({ communeCode: '75056', choice: 'GIVEN' });
    expect(resolvePostalCode('75002', '75101')).toBeNull();
    expect(resolvePostalCode('69003', '69383')).toMatchObject({ communeCode: '69123', departement: '69' });
    expect(resolvePostalCode('13001', '13201')).toMatchObject({ communeCode: '13055', departement: '13' });
  });

  it('places Guyane in America/Cayenne', () => {
    expect(resolvePostalCode('97310')).toMatchObject({
      communeCode: '97304',
      communeName: 'Kourou',
      departement: '973',
      region: '03',
      timeZone: 'America/Cayenne',
      choice: 'ONLY',
    });
  });

  it('picks the most populous commune of a shared postal code and says so', () => {
    const communes = communesOfPostalCode('01400');
    expect(communes.length).toBeGreaterThan(1);
    expect(resolvePostalCode('01400')).toMatchObject({ communeCode: communes[0].code, choice: 'MOST_POPULOUS' });
    expect(communes[0]).toEqual({ code: '01093', name: 'Châtillon-sur-Chalaronne', departement: '01', population: expect.any(Number) });
  });

  it('honours a given commune served by the postal code', () => {
    expect(resolvePostalCode('01400', '01272')).toMatchObject({ communeCode: '01272', communeName: 'Neuville-les-Dames', choice: 'GIVEN' });
  });

  it('returns null for an unknown postal code, or a commune it does not serve', () => {
    expect(resolvePostalCode('00000')).toBeNull();
    expect(resolvePostalCode('99999')).toBeNull();
    expect(resolvePostalCode('7500')).toBeNull();
    expect(resolvePostalCode('')).toBeNull();
    expect(resolvePostalCode('01400', '75056')).toBeNull();
    expect(resolvePostalCode('01400', 'XXXXX')).toBeNull();
  });

  it('tolerates surrounding spaces and a blank commune', () => {
    expect(resolvePostalCode(' 97300 ')).toMatchObject({ communeCode: '97302', communeName: 'Cayenne' });
    expect(resolvePostalCode('01400', ' ')).toMatchObject({ communeCode: '01093', choice: 'MOST_POPULOUS' });
  });
});

describe('communesOfPostalCode', () => {
  it('lists the communes most populous first, and nothing for an unknown code', () => {
    const populations = communesOfPostalCode('01400').map((c) => c.population);
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
    expect(communesOfPostalCode('99999')).toEqual([]);
  });
});

describe('placeOfCommune', () => {
  it('gives the EPCI, département, région, time zone and postal codes of a commune', () => {
    expect(placeOfCommune('97302')).toMatchObject({
      communeName: 'Cayenne',
      departement: '973',
      region: '03',
      timeZone: 'America/Cayenne',
      postalCodes: ['97300'],
    });
    expect(placeOfCommune('2A004')).toMatchObject({ communeName: 'Ajaccio', departement: '2A', region: '94' });
  });

  it('maps an arrondissement or a former commune to the current commune', () => {
    expect(placeOfCommune('69381')?.communeCode).toBe('69123');
    expect(placeOfCommune('01039')).toMatchObject({ communeCode: '01138', communeName: 'Culoz-Béon' });
    expect(currentCommuneCode('75120')).toBe('75056');
  });

  it('keeps partner zones to current codes only', () => {
    expect(communeExists('75056')).toBe(true);
    expect(communeExists('75101')).toBe(false);
    expect(placeOfCommune('99999')).toBeNull();
  });
});
