import { csvField, type RankCell } from '@mtl-fd/metrics';

/** What names a cell: the identifier, what it is read against and in which directions. */
export const CELL_HEAD_COLUMNS = ['identifier', 'task', 'task_b', 'at', 'perf_metric', 'perf_direction', 'direction'] as const satisfies readonly (keyof RankCell)[];

export const CELL_COLUMNS = [
  ...CELL_HEAD_COLUMNS,
  'n_runs',
  'tau_b',
  'rho',
  'p_value',
  'p_method',
  'ci_low',
  'ci_high',
  'na_reason',
] as const satisfies readonly (keyof RankCell)[];

/** One CSV row per cell, the JSON cell's keys as columns; null is an empty field, numbers in shortest round-trip form, formula-like text behind a `'` (csvField). */
export function tableCsv(cells: readonly RankCell[]): string {
  const lines = [CELL_COLUMNS.join(',')];
  for (const c of cells) lines.push(CELL_COLUMNS.map((k) => csvField(c[k])).join(','));
  return `${lines.join('\n')}\n`;
}
