import { allDepartements, allRegions, departementExists, epciExists, regionExists } from './referential';
import { timeZoneOfDepartement } from './time-zone';

describe('official codes', () => {
  it('knows mainland, Corsica and overseas départements', () => {
    for (const code of ['01', '2A', '2B', '75', '95', '971', '972', '973', '974', '976']) expect(departementExists(code)).toBe(true);
    for (const code of ['20', '96', '00', '970', '']) expect(departementExists(code)).toBe(false);
  });

  it('lists every mainland département with its région', () => {
    const mainland = allDepartements().filter((d) => d.code.length === 2);
    expect(mainland).toHaveLength(96);
    expect(allDepartements().find((d) => d.code === '973')).toEqual({ code: '973', name: 'Guyane', region: '03' });
    for (const d of allDepartements()) expect(regionExists(d.region)).toBe(true);
  });

  it('knows régions and EPCI by code', () => {
    expect(regionExists('11')).toBe(true);
    expect(regionExists('99')).toBe(false);
    expect(allRegions().find((r) => r.code === '94')?.name).toBe('Corse');
    expect(epciExists('200054781')).toBe(true); // Métropole du Grand Paris
    expect(epciExists('200000000')).toBe(false);
  });
});

describe('timeZoneOfDepartement', () => {
  it.each([
    ['971', 'America/Guadeloupe'],
    ['972', 'America/Martinique'],
    ['973', 'America/Cayenne'],
    ['974', 'Indian/Reunion'],
    ['976', 'Indian/Mayotte'],
    ['75', 'Europe/Paris'],
    ['2A', 'Europe/Paris'],
    ['unknown', 'Europe/Paris'],
  ])('%s → %s', (departement, zone) => expect(timeZoneOfDepartement(departement)).toBe(zone));

  it('only answers zones the runtime knows', () => {
    for (const d of allDepartements()) {
      expect(() => new Intl.DateTimeFormat('fr-FR', { timeZone: timeZoneOfDepartement(d.code) })).not.toThrow();
    }
  });
});
