// The CSV reader gives the same records however the text is cut into chunks (a cut may fall inside
// a quoted field, between the quotes of "" or between CR and LF), with the lines records start on.
import { describe, expect, it } from 'vitest';
import type { CsvItem } from '../../../engine/src/imports/csv.ts';
import { CsvReader } from '../../../engine/src/imports/csv.ts';

const read = (chunks: string[]): CsvItem[] => {
  const reader = new CsvReader();
  return [...chunks.flatMap((c) => reader.push(c)), ...reader.end()];
};

const FILE = '\uFEFFa,b,c\r\n"x, y","say ""hi""",\r\n\r\n"multi\r\nline\nfield",2,3\n,,\nlast,"",end';
const EXPECTED: CsvItem[] = [
  { line: 1, fields: ['a', 'b', 'c'] },
  { line: 2, fields: ['x, y', 'say "hi"', ''] },
  { line: 4, fields: ['multi\r\nline\nfield', '2', '3'] },
  { line: 7, fields: ['', '', ''] },
  { line: 8, fields: ['last', '', 'end'] },
];

describe('CsvReader', () => {
  it('reads quoted commas, doubled quotes, line breaks in fields, a BOM, CRLF and LF; skips blank lines', () => {
    expect(read([FILE])).toEqual(EXPECTED);
  });

  it('gives the same records for every two-way cut and for one character at a time', () => {
    for (let cut = 0; cut <= FILE.length; cut++)
      expect(read([FILE.slice(0, cut), FILE.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
    expect(read([...FILE])).toEqual(EXPECTED);
  });

  it('reports broken records with their line and goes on with the next one', () => {
    expect(read(['a,"b"x,c\nok,1\n"open'])).toEqual([
      { line: 1, message: 'text after a closing quote' },
      { line: 2, fields: ['ok', '1'] },
      { line: 3, message: 'a quoted field is not closed before the end of the file' },
    ]);
    expect(read(['a,b"c\n'])).toEqual([
      { line: 1, message: expect.stringContaining('a quote inside an unquoted field') },
    ]);
  });
});
