import pino, { Logger } from 'pino';

/**
 * One JSON line per event on stdout, for every process (LOG_LEVEL; silent under NODE_ENV=test).
 * What goes in a line is ids and codes only: request id, case id, route template, status. Bodies,
 * query strings and free text are never logged; the redaction below is a second net, not the rule.
 */
export const PERSONAL_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'birthDate', 'text', 'note', 'address'];

export function createLogger(service: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
    },
    destination,
  );
}

export type { Logger };
