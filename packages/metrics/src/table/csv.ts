import { UserError } from '@mtl-fd/capture';
import { csvField, csvText } from './csvCell.js';
import { csvRecords } from './csvRecords.js';
import { TIDY_COLUMNS, type TidyRow } from './types.js';

/**
 * The rows as CSV with the header `run,step,metric,task,task_b,value`; a null
 * value is an empty cell; numbers are written in JavaScript's shortest
 * round-trip form, so reading back gives the same doubles. Text that starts like a
 * spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'` (csvField), which
 * fromCSV takes off again.
 */
export function toCSV(rows: readonly TidyRow[]): string {
  let text = `${TIDY_COLUMNS.join(',')}\n`;
  for (const r of rows) text += `${[r.run, r.step, r.metric, r.task, r.task_b, r.value].map(csvField).join(',')}\n`;
  return text;
}

/** A decimal number as toCSV and other tools write it: no hex, no `Infinity`, no `NaN`, no spaces. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const STEP = /^\d+$/;

/**
 * Rows from tidy CSV (text columns stay text: a task named "1" is not a number). The
 * header needs run, step, metric and value (task, task_b may be absent: ''). A step
 * must be a non-negative safe integer written in decimal digits; a value a decimal
 * number, or an empty cell for null. A text cell loses the `'` toCSV put before a
 * formula-like name. Anything else is an error naming the line.
 */
export function fromCSV(text: string): TidyRow[] {
  const [header, ...records] = csvRecords(text);
  if (!header) throw new UserError(`no header row: the table is empty (expected ${TIDY_COLUMNS.join(',')})`);
  const names = header.cells;
  const at = (c: string) => names.indexOf(c);
  for (const c of ['run', 'step', 'metric', 'value']) {
    if (at(c) < 0) throw new UserError(`line ${header.line}: no '${c}' column (columns: ${names.join(', ')}; expected ${TIDY_COLUMNS.join(',')})`);
  }
  const [run, step, metric, task, taskB, value] = TIDY_COLUMNS.map(at) as [number, number, number, number, number, number];
  return records.map(({ line, cells }) => {
    if (cells.length !== names.length) throw new UserError(`line ${line}: ${cells.length} cells, the header has ${names.length}`);
    const stepText = cells[step]!;
    const n = Number(stepText);
    if (!STEP.test(stepText) || !Number.isSafeInteger(n)) {
      throw new UserError(`line ${line}: step ${JSON.stringify(stepText)} is not a non-negative integer`);
    }
    const valueText = cells[value]!;
    const v = valueText === '' ? null : Number(valueText);
    if (v !== null && (!DECIMAL.test(valueText) || !Number.isFinite(v))) {
      throw new UserError(`line ${line}: value ${JSON.stringify(valueText)} is not a number (a null value is an empty cell)`);
    }
    return {
      run: csvText(cells[run]!),
      step: n,
      metric: csvText(cells[metric]!),
      task: task < 0 ? '' : csvText(cells[task]!),
      task_b: taskB < 0 ? '' : csvText(cells[taskB]!),
      value: v,
    };
  });
}
