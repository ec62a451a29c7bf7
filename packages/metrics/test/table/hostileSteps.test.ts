// Hostile input, item 8: a step in a table is what a capture's step is, a non-negative
// safe integer, in every format the tables are read from; `0x10`, `-5`, `1.5`, `1e300`
// (and their JSON look-alikes) are refused with a one-line error, never coerced.
import { describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { fromCSV, fromJSON, fromJSONL } from '@mtl-fd/metrics';

const BAD_TEXT = ['0x10', '-5', '1.5', '1e300', '1e3', ' 7', '', 'NaN', 'Infinity', '9007199254740993'];
const BAD_JSON: unknown[] = [-5, 1.5, 1e300, '0x10', '16', null, true, 9007199254740992];

describe('steps of table rows', () => {
  it.each(BAD_TEXT)('CSV refuses step %j', (step) => {
    const text = `run,step,metric,task,task_b,value\nr,${step},fd,,,0.5\n`;
    expect(() => fromCSV(text)).toThrow(UserError);
    expect(() => fromCSV(text)).toThrow(`step ${JSON.stringify(step)} is not a non-negative integer`);
  });

  it.each(BAD_JSON)('JSON and JSONL refuse step %j', (step) => {
    const row = { run: 'r', step, metric: 'fd', task: '', task_b: '', value: 0.5 };
    expect(() => fromJSON(JSON.stringify({ options: {}, rows: [row] }))).toThrow(/step .* is not a non-negative integer/);
    expect(() => fromJSONL(`${JSON.stringify({ options: {} })}\n${JSON.stringify(row)}\n`)).toThrow(/step .* is not a non-negative integer/);
  });

  it('accepts plain steps (the control)', () => {
    expect(fromCSV('run,step,metric,task,task_b,value\nr,0012,fd,,,0.5\n')[0]!.step).toBe(12);
    const row = { run: 'r', step: 9007199254740991, metric: 'fd', task: '', task_b: '', value: 0.5 };
    expect(fromJSON(JSON.stringify({ options: {}, rows: [row] })).rows[0]!.step).toBe(9007199254740991);
  });
});
