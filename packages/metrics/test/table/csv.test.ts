import { describe, expect, it } from 'vitest';
import { fromCSV, toCSV } from '../../src/table/csv.js';

// The tidy CSV reader coerces nothing: a bad step or value is an error naming the line
// (readMetricsFile adds the file; see test/table/readMetrics.test.ts).
const HEADER = 'run,step,metric,task,task_b,value\n';
const one = (step: string, value: string) => fromCSV(`${HEADER}r,0,fd,,,0.5\nr,${step},fd,,,${value}\n`);

describe('fromCSV', () => {
  it('reads an empty value cell as null (docs/metrics.md §10), and decimal numbers exactly', () => {
    expect(one('3', '')[1]).toEqual({ run: 'r', step: 3, metric: 'fd', task: '', task_b: '', value: null });
    for (const v of ['0', '-0.25', '1e-300', '2.5E+3', '.5', '7.']) expect(one('1', v)[1]!.value).toBe(Number(v));
    expect(one(String(Number.MAX_SAFE_INTEGER), '1')[1]!.step).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects an empty or non-integer step with its line', () => {
    for (const step of ['', '0x10', '-5', '1.5', '1e300', ' 5', 'five', '9007199254740993']) {
      expect(() => one(step, '1'), step).toThrow(`line 3: step ${JSON.stringify(step)} is not a non-negative integer`);
    }
  });

  it('rejects a value that is not a decimal number with its line', () => {
    for (const value of ['"0,5"', 'n/a', 'NaN', 'Infinity', '0x10', ' 1', '1e999', 'true']) {
      const shown = value.startsWith('"') ? value.slice(1, -1) : value;
      expect(() => one('1', value), value).toThrow(`line 3: value ${JSON.stringify(shown)} is not a number (a null value is an empty cell)`);
    }
  });

  it('rejects an empty table, a missing column and a short row', () => {
    expect(() => fromCSV('')).toThrow(/^no header row: the table is empty \(expected run,step,metric,task,task_b,value\)$/);
    expect(() => fromCSV('run,step,metric\nr,0,fd\n')).toThrow(/^line 1: no 'value' column/);
    expect(() => fromCSV(`${HEADER}r,0,fd,,\n`)).toThrow(/^line 2: 5 cells, the header has 6$/);
  });

  it('reads what toCSV writes, including text that needs quotes', () => {
    const rows = [{ run: 'a,"b"', step: 2, metric: 'fd_pair', task: 'x\ny', task_b: '1', value: 0.1 + 0.2 }];
    expect(fromCSV(toCSV(rows))).toEqual(rows);
    expect(fromCSV('run,step,metric,value\nr,0,fd,1\n')).toEqual([{ run: 'r', step: 0, metric: 'fd', task: '', task_b: '', value: 1 }]);
  });
});
