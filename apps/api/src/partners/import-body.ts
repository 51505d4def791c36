import { text } from 'express';

/** A 30,000-partner directory is about 4 MB of CSV. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Express parses JSON only; the import route also reads a raw `text/csv` body. Applied to that
 * route alone, so every other route keeps the 100 kB JSON limit.
 */
export const csvBodyParser = text({ type: ['text/csv', 'text/plain'], limit: IMPORT_MAX_BYTES });
