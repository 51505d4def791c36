import { readCsvRecords, toCsv, unguardedCell } from './csv';

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

describe('toCsv', () => {
  it('quotes only what needs it, and reads back the same', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', ''];
    const text = toCsv(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'], [fields]);
    expect(text).toBe('h1,h2,h3,h4,h5,h6\r\nplain,"a,b","say ""hi""","two\nlines"," padded",\r\n');
    expect(readCsvRecords(text).records[1].fields).toEqual(fields);
  });

  it('numbers, booleans and empty cells; LF line ends on request', () => {
    expect(toCsv(['n', 'b', 'e'], [[1.5, true, null]], { lineEnd: '\n' })).toBe('n,b,e\n1.5,true,\n');
  });

  it('a text a spreadsheet would run as a formula gets an apostrophe first; unguardedCell takes it back', () => {
    const text = toCsv(['name'], [['=HYPERLINK("x")'], ['+33'], ['-'], ['@me'], ['ok']]);
    expect(text).toBe(`name\r\n"'=HYPERLINK(""x"")"\r\n'+33\r\n'-\r\n'@me\r\nok\r\n`);
    const read = readCsvRecords(text)
      .records.slice(1)
      .map((r) => unguardedCell(r.fields[0]));
    expect(read).toEqual(['=HYPERLINK("x")', '+33', '-', '@me', 'ok']);
  });
});
