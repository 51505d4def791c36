export * from './names';
export * from './search-attributes';
export * from './config';
export * from './journey-starter';
export * from './codec';
export * from './client';
