import { describe, expect, it } from 'vitest';
import { csvField, csvText } from '../../src/table/csvCell.js';
import { fromCSV, toCSV } from '../../src/table/csv.js';
import { fromPerfCSV } from '../../src/rank/perf.js';
import type { TidyRow } from '../../src/table/types.js';

// Before: toCSV wrote `=HYPERLINK(...)` raw, so a spreadsheet opening metrics.csv ran it.
const FORMULAS = ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")'];

describe('CSV formula injection (OWASP: a leading quote)', () => {
  it('writes a text cell that starts like a formula behind a leading quote', () => {
    for (const text of FORMULAS) expect(csvField(text).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField('seg')).toBe('seg');
    expect(csvField("'quoted")).toBe("'quoted");
  });

  it('leaves numbers as they are: -0.5 is a number, not text', () => {
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(-1e-7)).toBe('-1e-7');
    expect(csvField(null)).toBe('');
  });

  it('reverses exactly, a text that already starts with quotes included', () => {
    for (const text of [...FORMULAS, "'=x", "''+x", "'plain", 'plain', '', "'"]) {
      expect(csvText(csvField(text).replace(/^"(.*)"$/s, '$1').replaceAll('""', '"'))).toBe(text);
    }
  });

  it('round-trips a tidy table whose names start with = + - @', () => {
    const rows: TidyRow[] = [
      { run: '=cmd|"/C calc"!A0', step: 0, metric: 'fd', task: '', task_b: '', value: -0.5 },
      { run: '+run', step: 1, metric: 'grad_cos', task: '-seg', task_b: '@depth', value: 0 },
      { run: "'=already", step: 2, metric: 'loss', task: '\ttab', task_b: '', value: null },
    ];
    const text = toCSV(rows);
    expect(text).toContain("'=cmd|");
    expect(text).toContain(",'-seg,'@depth,");
    expect(text).toContain(',fd,,,-0.5\n');
    expect(text.split('\n').slice(1).every((line) => !/^[=+\-@]/.test(line))).toBe(true);
    expect(fromCSV(text)).toEqual(rows);
  });

  it('is reversed by the performance-CSV reader too', () => {
    const perf = fromPerfCSV("run,metric,value,direction,task\n'=a,'+acc,-0.25,higher,'-seg\n", 'perf.csv');
    expect(perf[0]!.metric).toBe('+acc');
    expect(perf[0]!.task).toBe('-seg');
    expect([...perf[0]!.values]).toEqual([['=a', -0.25]]);
  });
});
