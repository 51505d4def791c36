export * from './entities/youth.entity';
export * from './entities/case.entity';
export * from './entities/journey-event.entity';
export * from './entities/partner.entity';
export * from './entities/policy.entity';
export * from './data-source';
export * from './journey-events.repository';
export * from './policies.repository';
