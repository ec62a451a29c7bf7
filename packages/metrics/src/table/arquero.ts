import type { ColumnTable } from 'arquero';
import { UserError } from '@mtl-fd/capture';
import type { TidyRow } from './types.js';

/**
 * The rows as an arquero table with the six tidy columns in order. Async: arquero is
 * loaded on the first call, not with the package (it is most of the package's load time,
 * and scoring never needs it).
 */
export async function toTable(rows: readonly TidyRow[]): Promise<ColumnTable> {
  const { table } = await import('arquero');
  return table({
    run: rows.map((r) => r.run),
    step: rows.map((r) => r.step),
    metric: rows.map((r) => r.metric),
    task: rows.map((r) => r.task),
    task_b: rows.map((r) => r.task_b),
    value: rows.map((r) => r.value),
  });
}

/**
 * Rows from an arquero table holding at least the six tidy columns: missing
 * task / task_b become '', a missing or non-finite value null.
 */
export function fromTable(t: ColumnTable): TidyRow[] {
  const names = t.columnNames();
  for (const c of ['run', 'step', 'metric', 'value']) {
    if (!names.includes(c)) throw new UserError(`metrics table has no '${c}' column (columns: ${names.join(', ')})`);
  }
  const col = (name: string) => (names.includes(name) ? t.array(name) : null);
  const run = col('run')!;
  const step = col('step')!;
  const metric = col('metric')!;
  const task = col('task');
  const taskB = col('task_b');
  const value = col('value')!;
  const out: TidyRow[] = [];
  for (let i = 0; i < t.numRows(); i++) {
    const v = value[i];
    const num = v === null || v === undefined || v === '' ? null : Number(v);
    out.push({
      run: String(run[i] ?? ''),
      step: Number(step[i]),
      metric: String(metric[i] ?? ''),
      task: task ? String(task[i] ?? '') : '',
      task_b: taskB ? String(taskB[i] ?? '') : '',
      value: num !== null && Number.isFinite(num) ? num : null,
    });
  }
  return out;
}
