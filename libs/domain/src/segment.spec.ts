import { segmentOf, SegmentationProfile } from './segment';

const base: SegmentationProfile = {
  age: 20,
  diplomaLevel: 'BAC',
  situation: 'LOOKING_FOR_JOB',
  barriers: [],
  wishes: ['JOB'],
};

describe('segmentOf', () => {
  it('classic job seeker when nothing else applies', () => {
    expect(segmentOf(base)).toBe('CHOMEUR_CLASSIQUE');
    expect(segmentOf({ ...base, situation: 'SHORT_CONTRACTS' })).toBe('CHOMEUR_CLASSIQUE');
  });

  it('held back (EMPECHE) with two of health, housing, mobility, family, resources', () => {
    expect(segmentOf({ ...base, barriers: ['HEALTH', 'HOUSING'] })).toBe('EMPECHE');
    expect(segmentOf({ ...base, barriers: ['MOBILITY', 'RESOURCES'], situation: 'LEFT_SCHOOL' })).toBe('EMPECHE');
  });

  it('does not count ADMIN, LANGUAGE or JUSTICE, nor a barrier given twice', () => {
    expect(segmentOf({ ...base, barriers: ['ADMIN', 'LANGUAGE', 'JUSTICE', 'HEALTH'] })).toBe('CHOMEUR_CLASSIQUE');
    expect(segmentOf({ ...base, barriers: ['HEALTH', 'HEALTH'] })).toBe('CHOMEUR_CLASSIQUE');
  });

  it('recent dropout: left school, or under 18 with no diploma or CAP/BEP', () => {
    expect(segmentOf({ ...base, situation: 'LEFT_SCHOOL' })).toBe('DECROCHEUR');
    expect(segmentOf({ ...base, age: 17, diplomaLevel: 'NONE' })).toBe('DECROCHEUR');
    expect(segmentOf({ ...base, age: 17, diplomaLevel: 'CAP_BEP' })).toBe('DECROCHEUR');
    expect(segmentOf({ ...base, age: 18, diplomaLevel: 'NONE' })).toBe('CHOMEUR_CLASSIQUE');
    expect(segmentOf({ ...base, age: 17, diplomaLevel: 'BAC' })).toBe('CHOMEUR_CLASSIQUE');
  });

  it('invisible when inactive, after the dropout rule', () => {
    expect(segmentOf({ ...base, situation: 'INACTIVE' })).toBe('INVISIBLE');
    expect(segmentOf({ ...base, situation: 'INACTIVE', age: 16, diplomaLevel: 'NONE' })).toBe('DECROCHEUR');
  });

  it('opportunity seeker for alternance, training or business creation wishes', () => {
    for (const wish of ['ALTERNANCE', 'TRAINING', 'BUSINESS_CREATION'] as const) {
      expect(segmentOf({ ...base, wishes: ['JOB', wish] })).toBe('CHERCHEUR_OPPORTUNITES');
    }
    expect(segmentOf({ ...base, wishes: ['CIVIC_SERVICE', 'NOT_SURE'] })).toBe('CHOMEUR_CLASSIQUE');
    expect(segmentOf({ ...base, situation: 'INACTIVE', wishes: ['TRAINING'] })).toBe('INVISIBLE');
  });
});
