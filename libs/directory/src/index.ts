export * from './partners.repository';
export * from './case-matcher';
export * from './seed';
