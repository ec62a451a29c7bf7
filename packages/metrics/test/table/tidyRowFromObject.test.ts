import { describe, expect, it } from 'vitest';
import { tidyRowFromObject } from '../../src/table/tidyRowFromObject.js';
import { fromJSON } from '../../src/table/json.js';
import { fromJSONL } from '../../src/table/jsonl.js';

describe('tidyRowFromObject', () => {
  it('reads a row, defaulting task and task_b, and a non-finite or missing value as null', () => {
    expect(tidyRowFromObject({ run: 'a', step: 3, metric: 'fd', value: 0.5 }, 'row 0')).toEqual({ run: 'a', step: 3, metric: 'fd', task: '', task_b: '', value: 0.5 });
    expect(tidyRowFromObject({ run: 'a', step: 0, metric: 'fd', task: 'l', task_b: 'r', value: null }, 'row 0').value).toBeNull();
    expect(tidyRowFromObject({ run: 'a', step: 0, metric: 'fd', value: 'n/a' }, 'row 0').value).toBeNull();
  });

  it.each([[-5], [1.5], [1e300], ['16'], [null]])('rejects step %j, naming the row', (step) => {
    expect(() => tidyRowFromObject({ run: 'a', step, metric: 'fd', value: 1 }, 'metrics JSON row 7')).toThrow(/metrics JSON row 7: step .* is not a non-negative integer/);
  });

  it('rejects what is not a row object', () => {
    for (const r of [null, 3, [], { step: 1, metric: 'fd' }]) {
      expect(() => tidyRowFromObject(r, 'row 2')).toThrow(/row 2 is not a tidy row/);
    }
  });

  it('is what both JSON readers use', () => {
    expect(() => fromJSON('{"options": {}, "rows": [{"run": "a", "step": -1, "metric": "fd", "value": 1}]}')).toThrow(/metrics JSON row 0: step -1/);
    expect(() => fromJSONL('{"options": {}}\n{"run": "a", "step": 2.5, "metric": "fd", "value": 1}\n')).toThrow(/line 2: step 2.5/);
  });
});
