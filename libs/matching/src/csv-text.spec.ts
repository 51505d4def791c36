import { csvLine, readCsvRecords } from './csv-text';

describe('readCsvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping file line numbers', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\n"multi\nline",z\n\nlast,1';
    expect(readCsvRecords(text)).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x, y', 'say "hi"'] },
        { line: 3, fields: ['multi\nline', 'z'] },
        { line: 5, fields: [''] },
        { line: 6, fields: ['last', '1'] },
      ],
      errors: [],
    });
  });

  it('skips a UTF-8 BOM and a final line break', () => {
    expect(readCsvRecords('\ufeffid\nx\n').records).toEqual([
      { line: 1, fields: ['id'] },
      { line: 2, fields: ['x'] },
    ]);
  });

  it('reports malformed quoting on the line where the record starts', () => {
    expect(readCsvRecords('a,b\nx,y"z\n"ok",1\n"open,2\nmore').errors).toEqual([
      { line: 2, message: 'guillemet au milieu d’un champ non entouré de guillemets' },
      { line: 4, message: 'guillemet ouvrant sans guillemet fermant' },
    ]);
    expect(readCsvRecords('"a"b,c').errors).toEqual([{ line: 1, message: 'texte après un guillemet fermant' }]);
  });
});

describe('csvLine', () => {
  it('quotes only what needs it, and reads back the same', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', ''];
    const line = csvLine(fields);
    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines"," padded",');
    expect(readCsvRecords(line).records[0].fields).toEqual(fields);
  });
});
