import type { Partner, Zone, ZoneKind } from '../../domain/src';
import type { MatchProfile } from './match-types';

/** The code of the young person's place at each zone level; FRANCE contains everyone. */
export function placeCodeAt(kind: ZoneKind, profile: MatchProfile): string | null {
  switch (kind) {
    case 'COMMUNE':
      return profile.communeCode;
    case 'EPCI':
      return profile.epci;
    case 'DEPARTEMENT':
      return profile.departement;
    case 'REGION':
      return profile.region;
    case 'FRANCE':
      return null;
  }
}

export function zoneContains(zone: Zone, profile: MatchProfile): boolean {
  return zone.kind === 'FRANCE' || zone.code === placeCodeAt(zone.kind, profile);
}

const SPECIFICITY: Readonly<Record<ZoneKind, number>> = { COMMUNE: 0, EPCI: 1, DEPARTEMENT: 2, REGION: 3, FRANCE: 4 };

/** The most specific zone of the partner that contains the young person, or null if none does. */
export function servingZone(partner: Partner, profile: MatchProfile): Zone | null {
  let best: Zone | null = null;
  for (const zone of partner.zones) {
    if (zoneContains(zone, profile) && (!best || SPECIFICITY[zone.kind] < SPECIFICITY[best.kind])) best = zone;
  }
  return best;
}

export function describeZones(zones: readonly Zone[]): string {
  const shown = zones.slice(0, 3).map((z) => (z.kind === 'FRANCE' ? 'FRANCE' : `${z.kind} ${z.code}`));
  return shown.join(', ') + (zones.length > 3 ? ` (+${zones.length - 3})` : '');
}
