export * from './referral-link';
