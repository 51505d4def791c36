import { DIPLOMA_LEVELS, type DiplomaLevel, type PartnerType, type Wish } from './codes';

/**
 * A partner structure of the directory and its admission criteria (PRODUCT.md, "Partner types").
 * Pure data: the matching engine decides from it, the API and the CSV import validate it.
 */

/** Territory as in the French inclusion directories, most specific first. */
export const ZONE_KINDS = ['COMMUNE', 'EPCI', 'DEPARTEMENT', 'REGION', 'FRANCE'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/**
 * One zone a partner serves: an INSEE commune code, an EPCI SIREN, a département or région
 * code, or `FRANCE` with code `FR` (the whole country, overseas included).
 */
export interface Zone {
  kind: ZoneKind;
  code: string;
}

export const FRANCE_CODE = 'FR';
export const NATIONAL_ZONE: Zone = { kind: 'FRANCE', code: FRANCE_CODE };

export interface Partner {
  id: string;
  type: PartnerType;
  name: string;
  /** Where the structure is (INSEE code of its commune); where it recruits is `zones`. */
  communeCode: string;
  zones: Zone[];
  minAge: number;
  maxAge: number;
  diplomaLevels: DiplomaLevel[];
  wishes: Wish[];
  /** Referrals the partner can take per calendar month; 0 pauses it without deactivating. */
  monthlyCapacity: number;
  active: boolean;
  contactEmail: string;
  /** Optional SLA override (ISO 8601 duration); the journey's policy applies otherwise. */
  referralExpiresAfter?: string;
}

/** Short, stable, URL-safe: ids appear in referral workflow ids and signed links. */
export const PARTNER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Oldest age a criterion can name; "16+" in PRODUCT.md is written 16-99. */
export const MAX_CRITERION_AGE = 99;

export interface PartnerTypeDefaults {
  label: string;
  minAge: number;
  maxAge: number;
  diplomaLevels: readonly DiplomaLevel[];
  wishes: readonly Wish[];
}

const ANY_DIPLOMA = DIPLOMA_LEVELS;
const NO_QUALIFICATION: readonly DiplomaLevel[] = ['NONE', 'CAP_BEP'];
const UP_TO_BAC: readonly DiplomaLevel[] = ['NONE', 'CAP_BEP', 'BAC'];

/**
 * The usual criteria of each partner type (PRODUCT.md); each partner may override them.
 * Wishes are what the structure typically offers, which PRODUCT.md leaves implicit.
 */
export const PARTNER_TYPE_DEFAULTS: Readonly<Record<PartnerType, PartnerTypeDefaults>> = {
  MISSION_LOCALE: {
    label: 'Mission Locale',
    minAge: 16,
    maxAge: 25,
    diplomaLevels: ANY_DIPLOMA,
    wishes: ['JOB', 'TRAINING', 'ALTERNANCE', 'CIVIC_SERVICE', 'BUSINESS_CREATION', 'NOT_SURE'],
  },
  FRANCE_TRAVAIL: {
    label: 'France Travail',
    minAge: 16,
    maxAge: MAX_CRITERION_AGE,
    diplomaLevels: ANY_DIPLOMA,
    wishes: ['JOB', 'TRAINING', 'BUSINESS_CREATION'],
  },
  E2C: {
    label: 'École de la 2e Chance',
    minAge: 16,
    maxAge: 25,
    diplomaLevels: NO_QUALIFICATION,
    wishes: ['TRAINING', 'ALTERNANCE', 'JOB', 'NOT_SURE'],
  },
  EPIDE: {
    label: 'EPIDE',
    minAge: 17,
    maxAge: 25,
    diplomaLevels: NO_QUALIFICATION,
    wishes: ['JOB', 'TRAINING', 'CIVIC_SERVICE', 'NOT_SURE'],
  },
  CCI: {
    label: "Chambre de Commerce et d'Industrie",
    minAge: 16,
    maxAge: 29,
    diplomaLevels: ANY_DIPLOMA,
    wishes: ['ALTERNANCE', 'TRAINING', 'BUSINESS_CREATION'],
  },
  GEIQ: {
    label: "Groupement d'Employeurs pour l'Insertion et la Qualification",
    minAge: 16,
    maxAge: MAX_CRITERION_AGE,
    diplomaLevels: UP_TO_BAC,
    wishes: ['ALTERNANCE', 'JOB'],
  },
  MFR: {
    label: 'Maison Familiale Rurale',
    minAge: 15,
    maxAge: 25,
    diplomaLevels: UP_TO_BAC,
    wishes: ['ALTERNANCE', 'TRAINING'],
  },
};
