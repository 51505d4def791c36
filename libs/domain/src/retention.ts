import { parseDuration } from './duration';

/**
 * How long operational data is kept (README, "Données et durées de conservation"). These are
 * delays of the operation, not of a journey, so they are configuration (`RETENTION_*`), not policy.
 */
export const RETENTION_KINDS = ['messageBodies', 'chatTranscripts', 'accessLog', 'sessions', 'idempotencyKeys'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];
export type RetentionDelays = Record<RetentionKind, string>;

export const DEFAULT_RETENTION: RetentionDelays = {
  /** What a message said and to which address: long enough to answer "what did you send me?". */
  messageBodies: 'P90D',
  /** The chatbot's transcript: what it asked is in the case once it is made; the rest is support material. */
  chatTranscripts: 'P90D',
  /** Who read whose data: a year, as the CNIL recommends for access traces. */
  accessLog: 'P1Y',
  /** Ended or expired console sessions and sign-in links: a month, to investigate a suspicious sign-in. */
  sessions: 'P30D',
  /**
   * The answers kept for `Idempotency-Key`s (they hold the case as answered, personal data
   * included): API.md's 24 h, a contract rather than configuration, so no RETENTION_* variable.
   */
  idempotencyKeys: 'PT24H',
};

const ENV_NAMES: Record<Exclude<RetentionKind, 'idempotencyKeys'>, string> = {
  messageBodies: 'RETENTION_MESSAGE_BODIES',
  chatTranscripts: 'RETENTION_CHAT_TRANSCRIPTS',
  accessLog: 'RETENTION_ACCESS_LOG',
  sessions: 'RETENTION_SESSIONS',
};

const YEARS = /^P(\d+)Y(.*)$/;

/**
 * A retention delay in ms. Unlike a journey's timers, a delay counted in years is natural here
 * (`P2Y`); a year is taken as 365 days (a day early on a leap year, never a day late by more).
 */
export function retentionMs(value: string): number | null {
  if (typeof value !== 'string') return null;
  const years = YEARS.exec(value);
  if (!years) return parseDuration(value);
  const rest = years[2] ? parseDuration(`P${years[2]}`) : 0;
  return rest === null ? null : Number(years[1]) * 365 * 86_400_000 + rest;
}

/** The delays from `RETENTION_*`, defaults for the unset ones; a malformed one throws, naming the variable. */
export function retentionDelays(env: NodeJS.ProcessEnv = process.env): RetentionDelays {
  const delays = { ...DEFAULT_RETENTION };
  for (const kind of Object.keys(ENV_NAMES) as (keyof typeof ENV_NAMES)[]) {
    const value = env[ENV_NAMES[kind]]?.trim();
    if (!value) continue;
    if (retentionMs(value) === null) throw new Error(`${ENV_NAMES[kind]} must be an ISO 8601 duration such as P90D or P1Y (got ${value}).`);
    delays[kind] = value;
  }
  return delays;
}
