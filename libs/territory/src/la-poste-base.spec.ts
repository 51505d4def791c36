import { readFileSync } from 'node:fs';
import { communesOfPostalCode, currentCommuneCode, placeOfCommune, resolvePostalCode } from './place';

/**
 * The whole of La Poste's base (`codes-postaux`), read here on its own rather than through the
 * index: every postal code it lists must resolve, to a commune it lists for that code.
 */
type Pair = { codePostal: string; codeCommune: string; nomCommune: string };
const laPoste: Pair[] = JSON.parse(readFileSync(require.resolve('codes-postaux/codes-postaux.json'), 'utf8'));
const geographicCode: { type: string; code: string; codesPostaux?: string[] }[] = JSON.parse(
  readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'),
);

const communesByPostalCode = new Map<string, Set<string>>();
for (const pair of laPoste) {
  const listed = communesByPostalCode.get(pair.codePostal) ?? new Set<string>();
  communesByPostalCode.set(pair.codePostal, listed.add(pair.codeCommune));
}

const OVERSEAS = { '971': 'America/Guadeloupe', '972': 'America/Martinique', '973': 'America/Cayenne' } as const;

describe("La Poste's base of postal codes, walked whole", () => {
  it('has a current commune for every commune it names (arrondissements and merged communes followed)', () => {
    const lost = [...new Set(laPoste.map((p) => p.codeCommune))].filter((code) => currentCommuneCode(code) === null);
    expect(lost).toEqual([]);
    // Merged away and listed nowhere else in the geographic code but its successor's anciensCodes.
    expect(placeOfCommune('16238')).toMatchObject({ communeCode: '16023', communeName: 'Aunac-sur-Charente' }); // Moutonneau
    expect(placeOfCommune('02311')).toMatchObject({ communeCode: '02589', communeName: 'Pargny-et-Filain' }); // Filain
    expect(currentCommuneCode('75101')).toBe('75056');
  });

  it('resolves every postal code to a commune it lists for that code; overseas in its own département and time zone', () => {
    const unresolved: string[] = [];
    const notListed: string[] = [];
    const misplaced: string[] = [];
    const overseas = { '971': 0, '972': 0, '973': 0 };
    for (const [postalCode, listed] of communesByPostalCode) {
      const place = resolvePostalCode(postalCode);
      if (!place) {
        unresolved.push(postalCode);
        continue;
      }
      const successors = new Set([...listed].map(currentCommuneCode));
      if (!successors.has(place.communeCode)) notListed.push(`${postalCode} → ${place.communeCode} ${place.communeName}`);
      const prefix = postalCode.slice(0, 3);
      if (prefix in OVERSEAS) {
        overseas[prefix as keyof typeof OVERSEAS]++;
        const zone = OVERSEAS[prefix as keyof typeof OVERSEAS];
        if (place.departement !== prefix || place.timeZone !== zone) {
          misplaced.push(`${postalCode} → ${place.departement} ${place.timeZone}`);
        }
      }
    }
    console.log(
      `La Poste's base: ${communesByPostalCode.size} postal codes checked (${laPoste.length} pairs; overseas ${JSON.stringify(overseas)})`,
    );
    expect({ unresolved, notListed, misplaced }).toEqual({ unresolved: [], notListed: [], misplaced: [] });
    expect(communesByPostalCode.size).toBe(6201);
    expect(overseas).toEqual({ '971': 32, '972': 30, '973': 22 });
  });

  it('offers, and accepts when chosen, every commune it lists for a postal code', () => {
    const problems: string[] = [];
    for (const pair of laPoste) {
      const current = currentCommuneCode(pair.codeCommune)!;
      if (!communesOfPostalCode(pair.codePostal).some((c) => c.code === current))
        problems.push(`${pair.codePostal} does not offer ${current}`);
      // Its own code (an arrondissement, a former commune) and the current one are both accepted.
      for (const given of new Set([pair.codeCommune, current])) {
        const place = resolvePostalCode(pair.codePostal, given);
        if (place?.communeCode !== current || place.choice !== 'GIVEN')
          problems.push(`${pair.codePostal} + ${given} → ${place?.communeCode}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('still resolves every postal code of the geographic code, to a commune one of the sources lists', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const commune of geographicCode) {
      if (commune.type !== 'commune-actuelle') continue;
      for (const postalCode of commune.codesPostaux ?? []) {
        checked++;
        const place = resolvePostalCode(postalCode);
        const listedByLaPoste = [...(communesByPostalCode.get(postalCode) ?? [])].map(currentCommuneCode);
        const acceptable = listedByLaPoste.length ? listedByLaPoste : communesOfPostalCode(postalCode).map((c) => c.code);
        if (!place || !acceptable.includes(place.communeCode)) problems.push(`${postalCode} → ${place?.communeCode}`);
        if (resolvePostalCode(postalCode, commune.code)?.choice !== 'GIVEN') problems.push(`${postalCode} + ${commune.code} refused`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(35_000);
  });

  it.each([
    // Refused before both sources were read: civilian and military sites where young people live.
    ['74480', '74208'], // Passy (Plateau-d'Assy)
    ['74790', '74208'], // Passy (Sancellemoz)
    ['33090', '33063'], // Bordeaux
    ['34295', '34172'], // Montpellier
    ['64023', '64445'], // Pau
    ['83800', '83137'], // Toulon
    ['13128', '13047'], // Istres (Istres-Air)
    ['18490', '18018'], // Avord
    ['78129', '78640'], // Vélizy-Villacoublay
  ])('accepts %s, once refused', (postalCode, communeCode) => {
    expect(resolvePostalCode(postalCode)).toMatchObject({ postalCode, communeCode });
  });

  it('defaults to a commune La Poste lists, even where a more populous one holds a hamlet behind the code', () => {
    // The geographic code also lists Auxerre and Bagnères-de-Bigorre (La Mongie) for these codes.
    const auxerreArea = communesOfPostalCode('89290');
    expect(auxerreArea.map((c) => c.code)).toContain('89024');
    expect(resolvePostalCode('89290')?.communeCode).not.toBe('89024');
    expect(resolvePostalCode('89290', '89024')).toMatchObject({ communeName: 'Auxerre', choice: 'GIVEN' });
    expect(resolvePostalCode('65710')?.communeName).toBe('Campan');
    expect(communesOfPostalCode('65710').at(-1)).toMatchObject({ code: '65059', name: 'Bagnères-de-Bigorre' });
  });
});
