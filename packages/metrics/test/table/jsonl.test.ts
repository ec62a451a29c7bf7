import { describe, expect, it } from 'vitest';
import { fromJSONL, jsonlHeader, jsonlRow, toJSONL } from '../../src/table/jsonl.js';
import type { TidyRow } from '../../src/table/types.js';

const rows: TidyRow[] = [
  { run: 'a', step: 0, metric: 'fd', task: '', task_b: '', value: 0.1 },
  { run: 'a', step: 0, metric: 'loss_ratio', task: 'seg', task_b: '', value: Number.NaN },
];

describe('JSON lines', () => {
  it('is the options line then one row a line, and reads back', () => {
    const text = toJSONL(rows, { saliency: 'grad' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({ options: { saliency: 'grad' } });
    expect(text).toBe(jsonlHeader({ saliency: 'grad' }) + rows.map(jsonlRow).join(''));
    expect(fromJSONL(text)).toEqual({ options: { saliency: 'grad' }, rows: [rows[0], { ...rows[1], value: null }] });
  });

  it('names the line that is not a row', () => {
    expect(() => fromJSONL('{"options": {}}\n{"run": 1}\n')).toThrow(/line 2 is not a tidy row/);
    expect(() => fromJSONL('[1]\n')).toThrow(/line 1/);
  });
});
