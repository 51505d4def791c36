/**
 * RFC 4180 text, the way spreadsheets write it: comma-separated, fields quoted with `"` when
 * they hold a comma, a quote (doubled) or a line break. Nothing partner-specific here.
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

export function readCsvRecords(text: string): { records: CsvRecord[]; errors: CsvSyntaxError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // Excel's UTF-8 BOM
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const start = line;
    const fields: string[] = [];
    let broken: string | null = null;
    for (;;) {
      let field = '';
      if (source[i] === '"') {
        i++;
        for (;;) {
          if (i >= source.length) {
            broken ??= 'guillemet ouvrant sans guillemet fermant';
            break;
          }
          const ch = source[i++];
          if (ch === '"') {
            if (source[i] === '"') {
              field += '"';
              i++;
            } else break;
          } else {
            if (ch === '\n') line++;
            field += ch;
          }
        }
        // Only a separator or the end of the line may follow a closing quote.
        while (i < source.length && source[i] !== ',' && source[i] !== '\n' && source[i] !== '\r') {
          broken ??= 'texte après un guillemet fermant';
          field += source[i++];
        }
      } else {
        while (i < source.length && source[i] !== ',' && source[i] !== '\n' && source[i] !== '\r') {
          if (source[i] === '"') broken ??= 'guillemet au milieu d’un champ non entouré de guillemets';
          field += source[i++];
        }
      }
      fields.push(field);
      if (source[i] === ',') {
        i++;
        continue;
      }
      if (source[i] === '\r') i++;
      if (source[i] === '\n') i++;
      line++;
      break;
    }
    if (broken) errors.push({ line: start, message: broken });
    else records.push({ line: start, fields });
  }
  return { records, errors };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
