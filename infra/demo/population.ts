import { randomUUID } from 'node:crypto';
import { BARRIERS, DIPLOMA_LEVELS, SITUATIONS, SOURCE_CHANNELS, WISHES } from '../../libs/domain/src';
import { OVERSEAS_IN_SCOPE, programmeCommunes } from '../seed/programme-territory';
import { Prng, WeightedPicker } from '../seed/prng';

/** How the programme's audience arrives (roughly the campaign mix of PRODUCT.md). */
const CHANNEL_WEIGHTS: Record<(typeof SOURCE_CHANNELS)[number], number> = {
  INSTAGRAM: 28,
  TIKTOK: 24,
  FACEBOOK: 8,
  SNAPCHAT: 10,
  WEBSITE: 14,
  CHATBOT: 10,
  PARTNER: 4,
  OTHER: 2,
};

const FIRST_NAMES = ['Léa', 'Yanis', 'Inès', 'Noah', 'Chloé', 'Rayan', 'Manon', 'Kylian', 'Jade', 'Ethan', 'Maëlys', 'Ibrahim'];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Jean-Baptiste',
];

/** A simulated young person: a complete, valid form, drawn from a seeded PRNG. */
export function simulatedForm(prng: Prng, index: number, now: Date) {
  const place = pickPlace(prng);
  const age = prng.chance(0.93) ? prng.int(16, 25) : prng.pick([15, 26, 27]);
  const birth = new Date(now);
  birth.setUTCFullYear(birth.getUTCFullYear() - age);
  birth.setUTCDate(birth.getUTCDate() - prng.int(1, 360));
  const hasPhone = prng.chance(0.9);
  const channels = [...(hasPhone ? ['SMS'] : []), 'EMAIL'];
  return {
    submissionId: randomUUID(),
    firstName: prng.pick(FIRST_NAMES),
    lastName: `${prng.pick(LAST_NAMES)}-demo${index}`,
    birthDate: birth.toISOString().slice(0, 10),
    email: `demo.${index}.${now.getTime()}@example.org`,
    ...(hasPhone ? { phone: `07${String(10_000_000 + index * 7919 + (now.getTime() % 9_000_000)).slice(-8)}` } : {}),
    postalCode: place.postalCodes[0],
    communeCode: place.communeCode,
    diplomaLevel: prng.pick(DIPLOMA_LEVELS),
    situation: prng.pick(SITUATIONS),
    barriers: prng.sample(BARRIERS, prng.pick([0, 0, 1, 2, 3])),
    wishes: prng.sample(WISHES, prng.int(1, 2)),
    consent: { dataProcessing: true, shareWithPartners: prng.chance(0.85), channels },
    source: { channel: channelPicker.pick(prng), campaign: prng.pick(['rentree', 'printemps', 'ete', undefined]) },
  };
}

const channelPicker = new WeightedPicker(Object.keys(CHANNEL_WEIGHTS) as (keyof typeof CHANNEL_WEIGHTS)[], (c) => CHANNEL_WEIGHTS[c]);
let places:
  { mainland: WeightedPicker<ReturnType<typeof programmeCommunes>[number]>; overseas: ReturnType<typeof programmeCommunes> } | undefined;

function pickPlace(prng: Prng) {
  if (!places) {
    const communes = programmeCommunes().filter((c) => c.postalCodes.length > 0);
    places = {
      mainland: new WeightedPicker(
        communes.filter((c) => !(OVERSEAS_IN_SCOPE as readonly string[]).includes(c.departement)),
        (c) => c.population,
      ),
      overseas: communes.filter((c) => (OVERSEAS_IN_SCOPE as readonly string[]).includes(c.departement)),
    };
  }
  return prng.chance(0.12) ? prng.pick(places.overseas) : places.mainland.pick(prng);
}
