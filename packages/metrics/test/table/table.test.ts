import { describe, expect, it } from 'vitest';
import { fromTable, toTable } from '../../src/table/arquero.js';
import { fromCSV, toCSV } from '../../src/table/csv.js';
import { fromJSON, toJSON } from '../../src/table/json.js';
import { sortRows } from '../../src/table/order.js';
import type { TidyRow } from '../../src/table/types.js';

const rows: TidyRow[] = [
  { run: 'b', step: 10, metric: 'fd', task: '', task_b: '', value: 0.1 + 0.2 },
  { run: 'a, "quoted"', step: 0, metric: 'grad_cond', task: '', task_b: '', value: null },
  { run: 'a, "quoted"', step: 0, metric: 'fd_pair', task: '1', task_b: 'x.y', value: 1e-300 },
  { run: 'a, "quoted"', step: 0, metric: 'fd', task: '', task_b: '', value: -0.5 },
];

describe('tidy table (docs/metrics.md §10)', () => {
  it('round-trips through CSV with exact doubles, nulls and text columns kept as text', () => {
    const csv = toCSV(rows);
    expect(csv.split('\n')[0]).toBe('run,step,metric,task,task_b,value');
    expect(csv).toContain('"a, ""quoted""",0,grad_cond,,,\n');
    expect(fromCSV(csv)).toEqual(rows);
  });

  it("writes JSON as exactly {options, rows} and reads it back", () => {
    const text = toJSON(rows, { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error', weighted: false });
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['options', 'rows']);
    expect(parsed.rows).toEqual(rows);
    expect(fromJSON(text)).toEqual({ options: parsed.options, rows });
    expect(JSON.parse(toJSON([], {}))).toEqual({ options: {}, rows: [] });
    expect(() => fromJSON('{"rows": []}')).toThrow(/options/);
  });

  it('converts to and from arquero tables', async () => {
    const t = await toTable(rows);
    expect(t.columnNames()).toEqual(['run', 'step', 'metric', 'task', 'task_b', 'value']);
    expect(t.numRows()).toBe(4);
    expect(fromTable(t)).toEqual(rows);
  });

  it('sorts by run, step, then the fixed metric order, keeping task order within a metric', () => {
    const tasks: TidyRow[] = ['z', 'a', 'm'].map((task) => ({ run: 'r', step: 1, metric: 'fd_task', task, task_b: '', value: 0 }));
    const sorted = sortRows([...tasks, { run: 'r', step: 1, metric: 'fd', task: '', task_b: '', value: 0 }, ...rows]);
    expect(sorted.map((r) => `${r.run}|${r.step}|${r.metric}|${r.task}`)).toEqual([
      'a, "quoted"|0|fd|',
      'a, "quoted"|0|fd_pair|1',
      'a, "quoted"|0|grad_cond|',
      'b|10|fd|',
      'r|1|fd|',
      'r|1|fd_task|z',
      'r|1|fd_task|a',
      'r|1|fd_task|m',
    ]);
  });
});
