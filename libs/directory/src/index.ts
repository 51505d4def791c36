export * from './partners.repository';
export * from './case-matcher';
export * from './partner-places.repository';
export * from './seed';
