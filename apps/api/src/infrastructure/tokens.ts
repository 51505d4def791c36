/** Injection tokens for infrastructure clients that are not Nest classes. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const REDIS = Symbol('REDIS');
