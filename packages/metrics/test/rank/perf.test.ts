import { describe, expect, it } from 'vitest';
import { fromPerfCSV } from '../../src/rank/perf.js';

describe('fromPerfCSV', () => {
  it('reads run, metric, value, direction (quoted cells too), metrics in order of appearance', () => {
    const got = fromPerfCSV('run,metric,value,direction\n"r,0",miou,0.5,higher\n\nr1,miou,0.7,higher-is-better\nr1,err,2,lower\n', 'p.csv');
    expect(got.map((p) => [p.metric, p.direction, [...p.values]])).toEqual([
      ['miou', 'higher-better', [['r,0', 0.5], ['r1', 0.7]]],
      ['err', 'lower-better', [['r1', 2]]],
    ]);
  });

  it('names the file (and the line) of an empty file, a missing column or a bad value', () => {
    expect(() => fromPerfCSV('', 'p.csv')).toThrow('p.csv: empty (needs a header run,metric,value,direction)');
    expect(() => fromPerfCSV('run,metric,value\nr0,miou,1\n', 'p.csv')).toThrow("p.csv: no 'direction' column (needs run, metric, value, direction; has run, metric, value)");
    // the line counts blank lines and line breaks inside quotes
    expect(() => fromPerfCSV('run,metric,value,direction\n\n"r\n0",miou,1,higher\nr1,miou,n/a,higher\n', 'p.csv')).toThrow('p.csv: line 5: value "n/a" is not a finite number');
    expect(() => fromPerfCSV('run,metric,value,direction\n"r0,miou,1,higher\n', 'p.csv')).toThrow('p.csv: not CSV (line 2: a quoted cell is not closed)');
  });
});
