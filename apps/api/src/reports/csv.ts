export type Cell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, quotes where needed. A text cell that a
 * spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe: partner names
 * are typed by people.
 */
export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
