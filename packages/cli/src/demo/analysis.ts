import { declaredDirection, deltaM, identifierSeries, rankingSimilarity, valueAt, type At, type IdentifierQuery, type DeltaM, type Direction, type TidyRow } from '@mtl-fd/metrics';
import type { TaskName } from './data.js';
import { TEST_METRIC, type TestResult } from './evaluate.js';

/** The identifiers whose Ranking Similarity the demo reports, in table order. */
export const IDENTIFIERS = [
  { id: 'fd', scope: 'global', family: 'fd' },
  { id: 'fd_task', scope: 'task', family: 'fd' },
  { id: 'grad_cos_mean', scope: 'global', family: 'gradient' },
  { id: 'grad_conflict_frac', scope: 'global', family: 'gradient' },
  { id: 'grad_gms', scope: 'task-pairs', family: 'gradient' },
  { id: 'loss_ratio', scope: 'task', family: 'loss' },
  { id: 'rel_rate', scope: 'task', family: 'loss' },
] as const;
export type IdentifierId = (typeof IDENTIFIERS)[number]['id'];
export type Family = (typeof IDENTIFIERS)[number]['family'];

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

/**
 * Each run's mean, over the series `keys` name, of the value `at` of each series; null
 * for a run missing any of them (or with a null or non-finite value).
 */
function meanOverKeys(rows: readonly TidyRow[], keys: readonly IdentifierQuery[], at: At, out: Map<string, number | null>): void {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const key of keys) {
    for (const [run, s] of identifierSeries(rows, key)) {
      const v = valueAt(s, at);
      const acc = sums.get(run) ?? { sum: 0, n: 0 };
      if (v !== null && Number.isFinite(v)) {
        acc.sum += v;
        acc.n++;
      }
      sums.set(run, acc);
    }
  }
  for (const [run, { sum, n }] of sums) out.set(run, n === keys.length && n > 0 ? sum / n : null);
}

/** The identifier value of each run, for one task (or globally): `at` over its captures. */
export function identifierValues(rows: readonly TidyRow[], id: IdentifierId, task: TaskName | undefined, tasks: readonly TaskName[], at: At): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const scope = IDENTIFIERS.find((i) => i.id === id)!.scope;
  if (scope === 'global') {
    for (const [run, s] of identifierSeries(rows, { metric: id })) out.set(run, valueAt(s, at));
  } else if (scope === 'task') {
    if (task) {
      for (const [run, s] of identifierSeries(rows, { metric: id, task })) out.set(run, valueAt(s, at));
    } else {
      // against a result of the whole run (Delta m): the mean over the tasks
      meanOverKeys(rows, tasks.map((t) => ({ metric: id, task: t })), at, out);
    }
  } else {
    // grad_gms is a pair metric: a task's value is the mean over the pairs it belongs to
    // (all pairs for the global column)
    const pairs: [string, string][] = [];
    for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) pairs.push([tasks[i]!, tasks[j]!]);
    const chosen = task ? pairs.filter(([a, b]) => a === task || b === task) : pairs;
    meanOverKeys(rows, chosen.map(([a, b]) => ({ metric: id, task: a, task_b: b })), at, out);
  }
  return out;
}

/** The `task` of a per-task identifier averaged over the tasks (against Delta m). */
export const MEAN_OF_TASKS = 'mean of tasks';
/** The `task` of a pair identifier averaged over all pairs (against Delta m). */
export const ALL_PAIRS = 'all pairs';

/** One cell of the ranking table: an identifier against one test-time column. */
export interface RankCell {
  identifier: IdentifierId;
  family: Family;
  /** the task whose identifier value was used, '' for a global identifier, MEAN_OF_TASKS for a per-task one averaged */
  task: string;
  perf: string;
  perfLabel: string;
  perfDirection: Direction;
  direction: Direction;
  n_runs: number;
  tau_b: number | null;
  rho: number | null;
  /** identifier value per run, for the record */
  values: Record<string, number | null>;
  /** why tau-b is undefined, when it is */
  note?: string;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Ranking Similarity of every identifier against every test-time column over the
 * MTL runs. A per-task identifier is compared with its own task's metric, and by
 * its mean over the tasks with Delta m (maninis); a global one with every column.
 * The direction each identifier is taken to predict is the declared one
 * (docs/metrics.md §7).
 */
export function rankAll(rows: readonly TidyRow[], runs: readonly string[], tasks: readonly TaskName[], perf: readonly PerfColumn[], at: At): RankCell[] {
  const cells: RankCell[] = [];
  for (const ident of IDENTIFIERS) {
    const direction = declaredDirection(ident.id) ?? 'higher-better';
    for (const col of perf) {
      // per-task identifiers: the column's task, or the mean over tasks for Delta m
      const perTask = ident.scope === 'task' || ident.scope === 'task-pairs';
      const task = perTask ? col.task : undefined;
      const values = identifierValues(rows, ident.id, task, tasks, at);
      const x = runs.map((r) => values.get(r) ?? null);
      const y = runs.map((r) => col.values.get(r) ?? null);
      const sim = rankingSimilarity(x, y, { identifier: direction, performance: col.direction });
      const finite = x.filter((v): v is number => v !== null && Number.isFinite(v));
      const note = Number.isFinite(sim.tau_b)
        ? undefined
        : sim.n_runs < 2
          ? '< 2 runs'
          : finite.every((v) => v === finite[0])
            ? 'same for all runs'
            : 'results tie';
      cells.push({
        identifier: ident.id,
        family: ident.family,
        task: task ?? (ident.scope === 'task' ? MEAN_OF_TASKS : ident.scope === 'task-pairs' ? ALL_PAIRS : ''),
        perf: col.name,
        perfLabel: col.label,
        perfDirection: col.direction,
        direction,
        n_runs: sim.n_runs,
        tau_b: finiteOrNull(sim.tau_b),
        rho: finiteOrNull(sim.rho),
        values: Object.fromEntries(runs.map((r, i) => [r, x[i]!])),
        ...(note ? { note } : {}),
      });
    }
  }
  return cells;
}

/** The cells as `mtl-fd rank --format json` results, the shape @mtl-fd/plots draws. */
export function asRankings(cells: readonly RankCell[], at: At) {
  const groups = new Map<string, RankCell[]>();
  for (const c of cells) {
    const key = `${c.identifier}\u0000${c.task}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()].map((g) => ({
    identifier: g[0]!.identifier,
    task: g[0]!.task === '' ? null : g[0]!.task,
    at,
    direction: g[0]!.direction,
    results: g.map((c) => ({ perf_metric: c.perf, perf_direction: c.perfDirection, n_runs: c.n_runs, tau_b: c.tau_b, rho: c.rho })),
  }));
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
    const here = cells.filter((c) => c.perf === col.name && c.tau_b !== null);
    if (here.length === 0) continue;
    const best = (family: Family) => {
      const f = here.filter((c) => c.family === family);
      return f.length === 0 ? null : f.reduce((a, b) => (b.tau_b! > a.tau_b! ? b : a));
    };
    const fd = best('fd');
    const grad = best('gradient');
    const loss = best('loss');
    const name = (c: RankCell | null) => (c ? `${c.identifier}${c.task ? `[${c.task}]` : ''} (tau-b ${fmt(c.tau_b)})` : 'none');
    const others = [grad, loss].filter((c): c is RankCell => c !== null);
    const bestOther = others.length > 0 ? others.reduce((a, b) => (b.tau_b! > a.tau_b! ? b : a)) : null;
    let verdict: string;
    if (!fd || !bestOther) verdict = 'not comparable';
    else if (fd.tau_b! > bestOther.tau_b!) verdict = 'FD ranked the runs better than the gradient and loss identifiers';
    else if (fd.tau_b! < bestOther.tau_b!) verdict = `FD ranked the runs worse than ${bestOther.family === 'gradient' ? 'a gradient' : 'a loss'} identifier`;
    else verdict = 'FD tied with the best gradient/loss identifier';
    out.push(`Ranking vs ${col.label} over ${here[0]!.n_runs} runs: ${verdict}; best FD ${name(fd)}, best gradient ${name(grad)}, best loss ${name(loss)}.`);
  }
  const negative = cells.filter((c) => c.family === 'fd' && c.tau_b !== null && c.tau_b < 0);
  if (negative.length > 0) {
    out.push(
      `FD ordered the runs against their test results (tau-b < 0, declared direction higher = better) in ${negative.length} of ${cells.filter((c) => c.family === 'fd' && c.tau_b !== null).length} comparisons.`,
    );
  }
  return out;
}
