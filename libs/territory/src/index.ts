export * from './place';
export * from './referential';
export * from './time-zone';
export * from './commune-names';
