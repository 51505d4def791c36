export * from './place';
export * from './referential';
export * from './time-zone';
