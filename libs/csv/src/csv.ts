import { parse, type CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV the way spreadsheets read and write it (RFC 4180), by csv-parse and csv-stringify: the
 * reader keeps each record's line in the file, so an import can say where a problem is.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

export interface CsvSyntaxError {
  line: number;
  message: string;
}

/** What a person fixing the file needs to read, in French like the rest of an import's errors. */
const SYNTAX_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'guillemet ouvrant sans guillemet fermant',
  CSV_INVALID_CLOSING_QUOTE: 'texte après un guillemet fermant',
  INVALID_OPENING_QUOTE: 'guillemet au milieu d’un champ non entouré de guillemets',
};

const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Every record with its line, and every malformed one (the reader goes on after it). */
export function readCsvRecords(text: string): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const bytes = Buffer.from(text, 'utf8');
  const errors: CsvSyntaxError[] = [];
  const rows = parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_records_with_error: true,
    on_skip: (err?: CsvError) => {
      if (!err) return;
      // The record starts after the bytes of the records before it.
      const before = (err as CsvError & { bytes_records?: number }).bytes_records ?? 0;
      const line = 1 + lineBreaks(bytes.subarray(0, before).toString('utf8'));
      if (!errors.some((e) => e.line === line)) errors.push({ line, message: SYNTAX_MESSAGES[err.code] ?? 'ligne illisible' });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  // `lines` counts up to the record's last line; its fields' own line breaks say where it began.
  const records = rows.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, field) => n + lineBreaks(field), 0),
    fields: record,
  }));
  return { records, errors };
}

export type CsvCell = string | number | boolean | null | undefined;

/**
 * A header and rows as CSV text, quotes where needed. A text cell a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR first) gets an apostrophe first: names and comments are typed by
 * people. Line ends: CRLF as RFC 4180 says, or LF for files kept in git.
 */
export function toCsv(header: readonly string[], rows: readonly CsvCell[][], options: { lineEnd?: '\r\n' | '\n' } = {}): string {
  return stringify([header as string[], ...rows.map((row) => row.map(cellText))], {
    record_delimiter: options.lineEnd === '\n' ? 'unix' : 'windows',
    // Any line break is quoted, whatever the line end chosen (csv-stringify only quotes its own).
    quoted_match: /[\r\n]|^\s|\s$/,
  });
}

/** Reverses the formula guard of toCsv, so a file the system wrote reads back the same. */
export function unguardedCell(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
