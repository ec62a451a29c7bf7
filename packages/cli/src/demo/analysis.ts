import { deltaM, rankingTable, type At, type DeltaM, type Direction, type PerfMetric, type RankCell, type RankingTable, type TidyRow } from '@mtl-fd/metrics';
import type { TaskName } from './data.js';
import { TEST_METRIC, type TestResult } from './evaluate.js';

/** The family an identifier belongs to, for the conclusions: FD, gradient (and parameter) geometry, losses. */
export type Family = 'fd' | 'gradient' | 'loss';

export function familyOf(identifier: string): Family | null {
  if (identifier === 'fd' || identifier.startsWith('fd_')) return 'fd';
  if (identifier.startsWith('grad_') || identifier.startsWith('param_')) return 'gradient';
  if (identifier === 'loss_ratio' || identifier === 'rel_rate' || identifier.startsWith('loss_') || identifier === 'dwa') return 'loss';
  return null;
}

/** Delta m of one MTL run against the single-task baselines, both named aggregates. */
export interface RunDelta extends DeltaM {
  run: string;
}

export function deltaAgainstBaselines(run: string, results: readonly TestResult[], baselines: readonly TestResult[]): RunDelta | null {
  const rows = [];
  for (const r of results) {
    const b = baselines.find((x) => x.task === r.task && x.metric === r.metric);
    if (!b) return null;
    rows.push({ task: r.task, metric: r.metric, value: r.value, baseline: b.value, direction: toDirection(r.direction) });
  }
  return { run, ...deltaM(rows) };
}

function toDirection(d: 'higher' | 'lower'): Direction {
  return d === 'higher' ? 'higher-better' : 'lower-better';
}

/** A test-time result every run has: a task's metric, or a Delta m aggregate. */
export interface PerfColumn {
  /** `left_acc`, `right_acc`, `sum_mae`, `delta_m_maninis` */
  name: string;
  label: string;
  task?: TaskName;
  direction: Direction;
  values: Map<string, number>;
}

export function perfColumns(tasks: readonly TaskName[], results: Map<string, TestResult[]>, deltas: Map<string, RunDelta>): PerfColumn[] {
  const cols: PerfColumn[] = tasks.map((t) => {
    const m = TEST_METRIC[t];
    const values = new Map<string, number>();
    for (const [run, rs] of results) {
      const r = rs.find((x) => x.task === t);
      if (r) values.set(run, r.value);
    }
    return { name: `${t}_${m.metric}`, label: m.label, task: t, direction: toDirection(m.direction), values };
  });
  if (deltas.size > 0) {
    const values = new Map<string, number>();
    for (const [run, d] of deltas) values.set(run, d.maninis);
    cols.push({ name: 'delta_m_maninis', label: 'Delta m (maninis)', direction: 'higher-better', values });
  }
  return cols;
}

/** The test-time columns as the test metrics of the ranking table (each with its task; Delta m of the whole run). */
export function asPerfMetrics(perf: readonly PerfColumn[]): PerfMetric[] {
  return perf.map((c) => ({ metric: c.name, direction: c.direction, task: c.task ?? '', values: c.values }));
}

/**
 * The Ranking Similarity table of the MTL runs (docs/metrics.md §7, the table of
 * `mtl-fd rank`): every identifier with a declared direction against every
 * test-time column it is compared with, read `at`, with p-values and intervals;
 * cells constant by construction are n/a by rule.
 */
export function demoRanking(rows: readonly TidyRow[], runs: readonly string[], perf: readonly PerfColumn[], at: At): RankingTable {
  return rankingTable(rows, asPerfMetrics(perf), { at: [at], runs: [...runs] });
}

/** What the numbers say, as sentences computed from them (nothing here is fixed in advance). */
export function conclusions(
  runs: readonly string[],
  perf: readonly PerfColumn[],
  deltas: Map<string, RunDelta>,
  cells: readonly RankCell[],
  labels: Record<string, string>,
): string[] {
  const out: string[] = [];
  const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
  if (deltas.size > 0) {
    const sorted = [...deltas.values()].sort((a, b) => b.maninis - a.maninis);
    const best = sorted[0]!;
    const worst = sorted[sorted.length - 1]!;
    out.push(
      `Best multi-task method by Delta m (maninis, higher is better): ${labels[best.run] ?? best.run} at ${fmt(best.maninis)}%; ` +
        `worst: ${labels[worst.run] ?? worst.run} at ${fmt(worst.maninis)}%. ` +
        (sorted.every((d) => d.maninis < 0)
          ? 'Every method is below the single-task baselines on average.'
          : sorted.every((d) => d.maninis >= 0)
            ? 'Every method is at or above the single-task baselines on average.'
            : `${sorted.filter((d) => d.maninis >= 0).length} of ${sorted.length} methods beat the single-task baselines on average.`),
    );
  }
  for (const col of perf) {
    if (!col.task) continue;
    const better = col.direction === 'higher-better' ? 1 : -1;
    const ranked = runs.filter((r) => col.values.has(r)).sort((a, b) => better * (col.values.get(b)! - col.values.get(a)!));
    if (ranked.length > 0) {
      out.push(`${col.label}: best ${labels[ranked[0]!] ?? ranked[0]} (${fmt(col.values.get(ranked[0]!), 3)}), worst ${labels[ranked.at(-1)!] ?? ranked.at(-1)} (${fmt(col.values.get(ranked.at(-1)!), 3)}).`);
    }
  }
  for (const col of perf) {
    const here = cells.filter((c) => c.perf_metric === col.name && c.tau_b !== null && c.na_reason === null);
    if (here.length === 0) continue;
    const best = (family: Family) => {
      const f = here.filter((c) => familyOf(c.identifier) === family);
      return f.length === 0 ? null : f.reduce((a, b) => (b.tau_b! > a.tau_b! ? b : a));
    };
    const fd = best('fd');
    const grad = best('gradient');
    const loss = best('loss');
    const name = (c: RankCell | null) => (c ? `${c.identifier}${c.task ? `[${c.task}${c.task_b ? `, ${c.task_b}` : ''}]` : ''} (tau-b ${fmt(c.tau_b)}, p ${fmt(c.p_value, 3)})` : 'none');
    const others = [grad, loss].filter((c): c is RankCell => c !== null);
    const bestOther = others.length > 0 ? others.reduce((a, b) => (b.tau_b! > a.tau_b! ? b : a)) : null;
    let verdict: string;
    if (!fd || !bestOther) verdict = 'not comparable';
    else if (fd.tau_b! > bestOther.tau_b!) verdict = 'FD ranked the runs better than the gradient and loss identifiers';
    else if (fd.tau_b! < bestOther.tau_b!) verdict = `FD ranked the runs worse than ${familyOf(bestOther.identifier) === 'gradient' ? 'a gradient' : 'a loss'} identifier`;
    else verdict = 'FD tied with the best gradient/loss identifier';
    out.push(`Ranking vs ${col.label} over ${here[0]!.n_runs} runs: ${verdict}; best FD ${name(fd)}, best gradient ${name(grad)}, best loss ${name(loss)}.`);
  }
  const isFd = (c: RankCell) => familyOf(c.identifier) === 'fd' && c.tau_b !== null && c.na_reason === null;
  const negative = cells.filter((c) => isFd(c) && c.tau_b! < 0);
  if (negative.length > 0) {
    out.push(
      `FD ordered the runs against their test results (tau-b < 0, declared direction higher = better) in ${negative.length} of ${cells.filter(isFd).length} comparisons.`,
    );
  }
  return out;
}
