/**
 * The programme's vocabulary (PRODUCT.md), defined once. Each code list is a readonly tuple so
 * the same constant drives TypeScript types, request validation and documentation.
 */
export const DIPLOMA_LEVELS = ['NONE', 'CAP_BEP', 'BAC', 'BAC_2', 'BAC_3_PLUS'] as const;
export type DiplomaLevel = (typeof DIPLOMA_LEVELS)[number];

export const SITUATIONS = ['LEFT_SCHOOL', 'LOOKING_FOR_JOB', 'SHORT_CONTRACTS', 'INACTIVE', 'OTHER'] as const;
export type Situation = (typeof SITUATIONS)[number];

export const BARRIERS = ['HEALTH', 'HOUSING', 'MOBILITY', 'FAMILY', 'RESOURCES', 'ADMIN', 'LANGUAGE', 'JUSTICE'] as const;
export type Barrier = (typeof BARRIERS)[number];

export const WISHES = ['JOB', 'TRAINING', 'ALTERNANCE', 'CIVIC_SERVICE', 'BUSINESS_CREATION', 'NOT_SURE'] as const;
export type Wish = (typeof WISHES)[number];

export const SEGMENTS = ['EMPECHE', 'DECROCHEUR', 'INVISIBLE', 'CHERCHEUR_OPPORTUNITES', 'CHOMEUR_CLASSIQUE'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const PARTNER_TYPES = ['MISSION_LOCALE', 'FRANCE_TRAVAIL', 'E2C', 'EPIDE', 'CCI', 'GEIQ', 'MFR'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export const SOURCE_CHANNELS = ['INSTAGRAM', 'TIKTOK', 'FACEBOOK', 'SNAPCHAT', 'WEBSITE', 'CHATBOT', 'PARTNER', 'OTHER'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

export const MESSAGE_CHANNELS = ['SMS', 'EMAIL'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export const CONTACT_CHANNELS = ['PHONE', 'SMS', 'EMAIL', 'IN_PERSON'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const STAGES = [
  'CAPTURED',
  'ENGAGING',
  'MATCHING',
  'REFERRED',
  'ACCEPTED',
  'IN_PATHWAY',
  'NEEDS_COUNSELLOR',
  'PAUSED',
  'CLOSED',
] as const;
export type Stage = (typeof STAGES)[number];

export const CLOSURE_REASONS = ['OUTCOME_REACHED', 'WITHDRAWN', 'UNREACHABLE', 'MOVED', 'OUT_OF_SCOPE', 'OTHER'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const OUTCOMES = ['EMPLOYMENT', 'TRAINING', 'ALTERNANCE', 'CIVIC_SERVICE', 'BUSINESS_CREATION', 'OTHER'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DECLINE_REASONS = [
  'YOUTH_UNREACHABLE',
  'YOUTH_ABSENT',
  'YOUTH_EMPLOYED',
  'YOUTH_IN_TRAINING',
  'NOT_ELIGIBLE',
  'NOT_MOBILE',
  'NOT_INTERESTED',
  'PERIPHERAL_BARRIERS',
  'CAPACITY_FULL',
  'DUPLICATE',
  'OTHER',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
/** Recorded by the system, never chosen by a partner. */
export const EXPIRED = 'EXPIRED';

export const CHECK_IN_STATUSES = ['ON_TRACK', 'NEEDS_SUPPORT', 'DROPPED_OUT', 'OUTCOME'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

export const ROLES = ['counsellor', 'partner', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
