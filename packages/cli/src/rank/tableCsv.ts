import type { RankCell } from '@mtl-fd/metrics';

export const CELL_COLUMNS = [
  'identifier',
  'task',
  'task_b',
  'at',
  'perf_metric',
  'perf_direction',
  'direction',
  'n_runs',
  'tau_b',
  'rho',
  'p_value',
  'p_method',
  'ci_low',
  'ci_high',
  'na_reason',
] as const satisfies readonly (keyof RankCell)[];

/** One CSV field: null is empty, quoted when it holds a comma, quote or line break. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row per cell, the JSON cell's keys as columns; null is an empty field, numbers in shortest round-trip form. */
export function tableCsv(cells: readonly RankCell[]): string {
  const lines = [CELL_COLUMNS.join(',')];
  for (const c of cells) lines.push(CELL_COLUMNS.map((k) => csvField(c[k])).join(','));
  return `${lines.join('\n')}\n`;
}
