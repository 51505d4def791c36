export * from './referral-link';
export * from './config';
export * from './queues';
export * from './dispatcher';
export * from './quiet-hours';
export * from './inbound';
export * from './adapters';
export * from './templates';
