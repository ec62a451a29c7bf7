import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/table/csvRecords.js';

describe('csvRecords', () => {
  it('splits quoted and unquoted cells, LF and CRLF, keeping the line each record starts on', () => {
    const text = '\ufeffa,b,c\r\n"x, ""y""",,"multi\nline"\n\nlast,1,\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, "y"', '', 'multi\nline'] },
      { line: 5, cells: ['last', '1', ''] },
    ]);
  });

  it('gives nothing for empty text, and the last record without a final line break', () => {
    expect(csvRecords('')).toEqual([]);
    expect(csvRecords('\n\n')).toEqual([]);
    expect(csvRecords('a,b')).toEqual([{ line: 1, cells: ['a', 'b'] }]);
  });

  it('names the line of a malformed quote', () => {
    expect(() => csvRecords('a\n"open,b\n')).toThrow(/^line 2: a quoted cell is not closed$/);
    expect(() => csvRecords('a\n"x"y,b\n')).toThrow(/^line 2: text after a closing quote$/);
    expect(() => csvRecords('a\nx"y,b\n')).toThrow(/^line 2: a quote inside an unquoted cell$/);
  });
});
