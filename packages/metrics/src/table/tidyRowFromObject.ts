import { UserError } from '@mtl-fd/capture';
import type { TidyRow } from './types.js';

/**
 * One tidy row from a parsed JSON object (the JSON and JSON-lines readers share it).
 * `where` names the row in errors ("metrics JSON row 3", "metrics JSON lines: line 5").
 * A step must be a non-negative safe integer (as a capture's step is); a value that is
 * not a finite number reads as null, the way the writers store NaN.
 */
export function tidyRowFromObject(r: unknown, where: string): TidyRow {
  const o = r as Record<string, unknown>;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || typeof o.run !== 'string' || typeof o.metric !== 'string') {
    throw new UserError(`${where} is not a tidy row (needs run, step, metric, task, task_b, value)`);
  }
  if (typeof o.step !== 'number' || !Number.isSafeInteger(o.step) || o.step < 0) {
    throw new UserError(`${where}: step ${JSON.stringify(o.step)} is not a non-negative integer`);
  }
  const v = o.value;
  return {
    run: o.run,
    step: o.step,
    metric: o.metric,
    task: typeof o.task === 'string' ? o.task : '',
    task_b: typeof o.task_b === 'string' ? o.task_b : '',
    value: typeof v === 'number' && Number.isFinite(v) ? v : null,
  };
}
