import { UserError } from '@mtl-fd/capture';
import { parseDirection, type Direction } from './directions.js';
import { csvText } from '../table/csvCell.js';
import { csvRecords, type CsvRecord } from '../table/csvRecords.js';

/** One test-time metric over runs, with the direction it declares. */
export interface PerfMetric {
  metric: string;
  direction: Direction;
  /**
   * The task the metric measures, from the CSV's optional `task` column ('' for a
   * metric of the whole run); absent when the CSV has no such column.
   */
  task?: string;
  /** value per run name */
  values: Map<string, number>;
}

/**
 * Reads a performance CSV with columns run, metric, value, direction (direction
 * `higher` / `lower`, or `higher-is-better` / `lower-is-better`) and optionally
 * task (the task the metric measures, empty for a whole-run metric); other columns
 * are ignored. Metrics come back in order of first appearance. Every problem names
 * `file` and the CSV line.
 */
export function fromPerfCSV(text: string, file = 'performance CSV'): PerfMetric[] {
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (err) {
    throw new UserError(`${file}: not CSV (${(err as Error).message})`);
  }
  const [header, ...rows] = records;
  if (!header) throw new UserError(`${file}: empty (needs a header run,metric,value,direction)`);
  const names = header.cells.map((c) => c.trim());
  for (const c of ['run', 'metric', 'value', 'direction']) {
    if (!names.includes(c)) throw new UserError(`${file}: no '${c}' column (needs run, metric, value, direction; has ${names.join(', ') || 'none'})`);
  }
  // text cells lose the `'` a formula-like name was written with (csvField)
  const cell = (cells: string[], c: string) => csvText(cells[names.indexOf(c)] ?? '');
  const out = new Map<string, PerfMetric>();
  for (const { line, cells } of rows) {
    const r = cell(cells, 'run').trim();
    const m = cell(cells, 'metric').trim();
    const vText = cell(cells, 'value').trim();
    const v = Number(vText);
    if (r === '' || m === '') throw new UserError(`${file}: line ${line}: empty run or metric`);
    if (vText === '' || !Number.isFinite(v)) throw new UserError(`${file}: line ${line}: value ${JSON.stringify(vText)} is not a finite number`);
    let d: Direction;
    try {
      d = parseDirection(cell(cells, 'direction'));
    } catch (err) {
      throw new UserError(`${file}: line ${line}: ${(err as Error).message}`);
    }
    const task = names.includes('task') ? cell(cells, 'task').trim() : undefined;
    let pm = out.get(m);
    if (!pm) out.set(m, (pm = { metric: m, direction: d, ...(task === undefined ? {} : { task }), values: new Map() }));
    if (pm.direction !== d) throw new UserError(`${file}: line ${line}: metric '${m}' is ${pm.direction} above but ${d} here`);
    if (pm.task !== task) throw new UserError(`${file}: line ${line}: metric '${m}' is of task '${pm.task}' above but '${task}' here`);
    if (pm.values.has(r)) throw new UserError(`${file}: line ${line}: run '${r}' has a second value for '${m}'`);
    pm.values.set(r, v);
  }
  if (out.size === 0) throw new UserError(`${file}: no rows`);
  return [...out.values()];
}
