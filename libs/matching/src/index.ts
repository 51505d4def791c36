export * from './match-types';
export * from './matching-index';
export * from './full-scan';
export * from './explain';
export * from './territory-fit';
export * from './partner-validation';
export * from './partner-csv';
