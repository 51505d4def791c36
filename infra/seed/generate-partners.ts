/**
 * Generates an illustrative partner directory from the official geographic code, the same way
 * for the seed file (320 partners) and for benchmark directories (3,000, 30,000).
 *
 *   npx ts-node --transpile-only infra/seed/generate-partners.ts [count] [seed]
 *
 * writes infra/seed/partners.csv (defaults: 320 partners, seed 2024). Deterministic: a seeded
 * PRNG, no clock. The shape follows the real networks:
 * - backbone: in every mainland département and in 971/972/973, one Mission Locale and one
 *   France Travail agency serving the département; one EPIDE centre per mainland région and
 *   one with national catchment;
 * - sites for the rest: E2C, CCI, GEIQ, MFR (in communes under 5,000 inhabitants) and local
 *   Mission Locale / France Travail antennas. The first site of a type in a département serves
 *   the département; later ones serve their EPCI, then only their commune. Bigger directories
 *   thus add local structures rather than stacking more partners on every place, as real
 *   directories do (one structure of a kind per area).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATIONAL_ZONE, PARTNER_TYPE_DEFAULTS, type Partner, type PartnerType, type Zone } from '../../libs/domain/src';
import { partnersToCsv } from '../../libs/matching/src/partner-csv';
import { chefLieuOfDepartement, placeOfCommune, type CommunePlace } from '../../libs/territory/src';
import { programmeCommunes, programmeDepartements } from './programme-territory';
import { Prng, WeightedPicker } from './prng';

export const SEED_PARTNER_COUNT = 320;
export const SEED = 2024;
export const CONTACT_DOMAIN = 'example.org';

const SLUG: Record<PartnerType, string> = {
  MISSION_LOCALE: 'ml',
  FRANCE_TRAVAIL: 'ft',
  E2C: 'e2c',
  EPIDE: 'epide',
  CCI: 'cci',
  GEIQ: 'geiq',
  MFR: 'mfr',
};

/** Monthly referrals a structure of each type can take (illustrative ranges). */
const CAPACITY: Record<PartnerType, [number, number]> = {
  MISSION_LOCALE: [30, 120],
  FRANCE_TRAVAIL: [40, 200],
  E2C: [8, 30],
  EPIDE: [10, 40],
  CCI: [10, 40],
  GEIQ: [4, 20],
  MFR: [4, 16],
};

/** Share of each type among sites; the backbone is added separately. */
const SITE_MIX: [PartnerType, number][] = [
  ['MISSION_LOCALE', 0.1],
  ['FRANCE_TRAVAIL', 0.1],
  ['E2C', 0.2],
  ['CCI', 0.2],
  ['GEIQ', 0.2],
  ['MFR', 0.2],
];

/** Local overrides seen in real directories, applied to a few sites. */
const CRITERIA_VARIANTS: Partial<Record<PartnerType, Partial<Partner>[]>> = {
  MISSION_LOCALE: [{ maxAge: 29 }], // up to 30 for young people with a recognised disability
  E2C: [
    { minAge: 18, maxAge: 30 },
    { minAge: 16, maxAge: 30 },
  ],
  CCI: [{ diplomaLevels: ['CAP_BEP', 'BAC', 'BAC_2'] }],
  GEIQ: [{ minAge: 18, maxAge: 30 }, { diplomaLevels: ['NONE', 'CAP_BEP'] }],
  MFR: [{ minAge: 16, maxAge: 21 }],
};

const GEIQ_SECTORS = [
  'BTP',
  'Propreté',
  'Industrie',
  'Transport-Logistique',
  'Agriculture',
  'Sanitaire et social',
  'Hôtellerie-Restauration',
];
const RURAL_POPULATION = 5000;

export function generatePartners(count: number = SEED_PARTNER_COUNT, seed: number = SEED): Partner[] {
  const prng = new Prng(seed);
  const directory = new DirectoryBuilder(prng);
  directory.addBackbone();
  if (count < directory.size) throw new Error(`At least ${directory.size} partners are needed for the backbone`);
  const typePicker = new WeightedPicker(SITE_MIX, ([, share]) => share);
  while (directory.size < count) directory.addSite(typePicker.pick(prng)[0]);
  return directory.partners().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

class DirectoryBuilder {
  private readonly list: Partner[] = [];
  private readonly communes = programmeCommunes();
  private readonly rural = this.communes.filter((c) => c.population < RURAL_POPULATION);
  private readonly byPopulation = new WeightedPicker(this.communes, (c) => c.population);
  private readonly ruralByPopulation = new WeightedPicker(this.rural, (c) => c.population);
  /** `${type}|${area}` already served at département, EPCI or commune level. */
  private readonly served = new Set<string>();
  private readonly sequence = new Map<string, number>();
  private readonly departementNames = new Map(programmeDepartements().map((d) => [d.code, d.name]));

  constructor(private readonly prng: Prng) {}

  get size(): number {
    return this.list.length;
  }

  partners(): Partner[] {
    return this.list;
  }

  addBackbone(): void {
    const departements = programmeDepartements();
    for (const d of departements) {
      const chefLieu = placeOfCommune(chefLieuOfDepartement(d.code)!)!;
      this.add('MISSION_LOCALE', `${SLUG.MISSION_LOCALE}-${slug(d.code)}`, `Mission Locale ${d.name}`, chefLieu, [
        { kind: 'DEPARTEMENT', code: d.code },
      ]);
      this.add(
        'FRANCE_TRAVAIL',
        `${SLUG.FRANCE_TRAVAIL}-${slug(d.code)}`,
        `France Travail ${d.name} – agence de ${chefLieu.communeName}`,
        chefLieu,
        [{ kind: 'DEPARTEMENT', code: d.code }],
      );
    }
    // EPIDE: residential centres recruiting across their région, in mid-sized towns.
    const mainlandRegions = [...new Set(departements.filter((d) => d.code.length === 2).map((d) => d.region))];
    for (const region of mainlandRegions) {
      const towns = this.communes.filter((c) => c.region === region && c.population >= 5000 && c.population <= 60000);
      const town = this.prng.pick(towns);
      this.add('EPIDE', `${SLUG.EPIDE}-${region}`, `EPIDE – centre de ${town.communeName}`, town, [{ kind: 'REGION', code: region }], {
        referralExpiresAfter: 'P14D',
      });
    }
    const national = this.prng.pick(
      this.communes.filter((c) => c.departement.length === 2 && c.population >= 5000 && c.population <= 60000),
    );
    this.add('EPIDE', `${SLUG.EPIDE}-france`, 'EPIDE – admissions nationales', national, [{ ...NATIONAL_ZONE }], {
      referralExpiresAfter: 'P14D',
    });
  }

  addSite(type: PartnerType): void {
    const commune = this.siteCommune(type);
    if (!commune) return; // no free commune found this time; the next draw tries again
    const dep = commune.departement;
    const zone: Zone = !this.served.has(`${type}|D${dep}`)
      ? { kind: 'DEPARTEMENT', code: dep }
      : commune.epci && !this.served.has(`${type}|E${commune.epci}`)
        ? { kind: 'EPCI', code: commune.epci }
        : { kind: 'COMMUNE', code: commune.communeCode };
    const n = (this.sequence.get(`${type}|${dep}`) ?? 0) + 1;
    this.sequence.set(`${type}|${dep}`, n);
    const id = `${SLUG[type]}-${slug(dep)}-${String(n).padStart(2, '0')}`;
    const overrides: Partial<Partner> = {};
    const variants = CRITERIA_VARIANTS[type];
    if (variants && this.prng.chance(0.1)) Object.assign(overrides, this.prng.pick(variants));
    if (this.prng.chance(0.08)) overrides.referralExpiresAfter = this.prng.pick(['P5D', 'P10D', 'P14D']);
    if (this.prng.chance(0.04)) overrides.active = false;
    this.add(type, id, this.siteName(type, commune, zone.kind === 'DEPARTEMENT'), commune, [zone], overrides);
  }

  private add(type: PartnerType, id: string, name: string, commune: CommunePlace, zones: Zone[], overrides: Partial<Partner> = {}): void {
    const defaults = PARTNER_TYPE_DEFAULTS[type];
    const [low, high] = CAPACITY[type];
    this.list.push({
      id,
      type,
      name,
      communeCode: commune.communeCode,
      zones,
      minAge: defaults.minAge,
      maxAge: defaults.maxAge,
      diplomaLevels: [...defaults.diplomaLevels],
      wishes: [...defaults.wishes],
      monthlyCapacity: this.prng.int(low, high),
      active: true,
      contactEmail: `${id}@${CONTACT_DOMAIN}`,
      ...overrides,
    });
    this.served.add(`${type}|C${commune.communeCode}`);
    for (const zone of zones) this.served.add(`${type}|${zone.kind[0]}${zone.code}`);
  }

  /** A commune with no site of this type yet: half by population, half anywhere (rural France too). */
  private siteCommune(type: PartnerType): CommunePlace | null {
    const pool = type === 'MFR' ? this.rural : this.communes;
    const weighted = type === 'MFR' ? this.ruralByPopulation : this.byPopulation;
    for (let attempt = 0; attempt < 50; attempt++) {
      const commune = this.prng.chance(0.5) ? weighted.pick(this.prng) : this.prng.pick(pool);
      if (!this.served.has(`${type}|C${commune.communeCode}`)) return commune;
    }
    return null;
  }

  private siteName(type: PartnerType, commune: CommunePlace, departementWide: boolean): string {
    const place = commune.communeName;
    const departement = this.departementNames.get(commune.departement) ?? commune.departement;
    switch (type) {
      case 'MISSION_LOCALE':
        return `Mission Locale ${departement} – antenne de ${place}`;
      case 'FRANCE_TRAVAIL':
        return `France Travail – agence de ${place}`;
      case 'E2C':
        return `École de la 2e Chance – ${place}`;
      case 'CCI':
        return departementWide ? `CCI ${departement}` : `CCI ${departement} – site de ${place}`;
      case 'GEIQ':
        return `GEIQ ${this.prng.pick(GEIQ_SECTORS)} ${departementWide ? departement : place}`;
      case 'MFR':
        return `MFR ${place}`;
      case 'EPIDE':
        return `EPIDE – centre de ${place}`;
    }
  }
}

/** Ids are lowercase (2A → 2a). */
function slug(code: string): string {
  return code.toLowerCase();
}

if (require.main === module) {
  const count = Number(process.argv[2] ?? SEED_PARTNER_COUNT);
  const seed = Number(process.argv[3] ?? SEED);
  const partners = generatePartners(count, seed);
  const file = join(__dirname, 'partners.csv');
  writeFileSync(file, partnersToCsv(partners));
  console.log(`${partners.length} partners written to ${file}`);
}
