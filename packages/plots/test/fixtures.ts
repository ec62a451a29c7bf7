import type { Finding } from '@mtl-fd/diagnose';
import type { TidyRow } from '@mtl-fd/metrics';

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export interface FixtureOptions {
  runs?: { name: string; steps: number[]; skew: number }[];
  tasks?: string[];
}

/**
 * A small fixed tidy table with every metric of docs/metrics.md §10, built from closed-form
 * curves (values rounded to 4 decimals so the snapshots are exact): by default two runs
 * ('equal', 'dominant') of three tasks over four captures.
 */
export function fixtureRows(options: FixtureOptions = {}): TidyRow[] {
  const tasks = options.tasks ?? ['seg', 'depth', 'normal'];
  const runs = options.runs ?? [
    { name: 'equal', steps: [0, 100, 200, 300], skew: 0 },
    { name: 'dominant', steps: [0, 100, 200, 300], skew: 1 },
  ];
  const rows: TidyRow[] = [];
  const add = (run: string, step: number, metric: string, value: number | null, task = '', task_b = '') =>
    rows.push({ run, step, metric, task, task_b, value: value === null ? null : r4(value) });
  for (const { name, steps, skew } of runs) {
    const L0 = tasks.map((_, t) => 2 + t * 0.5);
    steps.forEach((step, k) => {
      const x = step / 300;
      // gradient norms: with skew the first task grows to dominate
      const norms = tasks.map((_, t) => (t === 0 ? 1 + 3 * skew * x : 1 - 0.1 * t * x));
      const sumNorm = norms.reduce((a, b) => a + b, 0);
      const fdTask = tasks.map((_, t) => 0.2 + 0.5 * x * (t === 0 ? 1 + 0.4 * skew : 1 - 0.3 * skew) + 0.03 * t);
      add(name, step, 'fd', 0.15 + 0.45 * x + 0.2 * skew * x);
      add(name, step, 'fd_mass', 0.18 + 0.4 * x + 0.25 * skew * x);
      add(name, step, 'dead_units', 12 + k);
      add(name, step, 'units', 4096);
      tasks.forEach((t, i) => add(name, step, 'fd_task', fdTask[i]!, t));
      const cos = (a: number, b: number) => 0.35 - 0.5 * x * (1 + skew) + 0.1 * (a + b) - 0.15 * b;
      let cosSum = 0;
      let conflicts = 0;
      let pairs = 0;
      for (let a = 0; a < tasks.length; a++) {
        for (let b = a + 1; b < tasks.length; b++) {
          add(name, step, 'fd_pair', 0.3 + 0.4 * x + 0.05 * (a + b) + 0.1 * skew * x, tasks[a], tasks[b]);
          const c = cos(a, b);
          add(name, step, 'grad_cos', c, tasks[a], tasks[b]);
          add(name, step, 'param_cos', 0.8 * c - 0.05, tasks[a], tasks[b]);
          add(name, step, 'grad_gms', (2 * norms[a]! * norms[b]!) / (norms[a]! ** 2 + norms[b]! ** 2), tasks[a], tasks[b]);
          cosSum += c;
          if (r4(c) < 0) conflicts++;
          pairs++;
        }
      }
      add(name, step, 'grad_cos_mean', cosSum / pairs);
      add(name, step, 'grad_conflict_frac', conflicts / pairs);
      add(name, step, 'grad_cond', 3 + 4 * x + 6 * skew * x);
      // parameter level: the feature-level figures, shifted, so every report chart has data
      add(name, step, 'param_cos_mean', 0.8 * (cosSum / pairs) - 0.05);
      add(name, step, 'param_conflict_frac', conflicts / pairs);
      add(name, step, 'param_cond', 5 + 8 * x);
      tasks.forEach((t, i) => {
        add(name, step, 'grad_norm', norms[i]!, t);
        add(name, step, 'grad_norm_share', norms[i]! / sumNorm, t);
        add(name, step, 'param_norm', 2 * norms[i]!, t);
        add(name, step, 'param_norm_share', norms[i]! / sumNorm, t);
      });
      const ratio = tasks.map((_, t) => Math.exp(-(1.2 - 0.3 * t + (t === 0 ? skew : -0.3 * skew)) * x));
      const meanRatio = ratio.reduce((a, b) => a + b, 0) / ratio.length;
      const loss = tasks.map((_, t) => L0[t]! * ratio[t]!);
      const sumLoss = loss.reduce((a, b) => a + b, 0);
      tasks.forEach((t, i) => {
        add(name, step, 'loss', loss[i]!, t);
        add(name, step, 'loss_ratio', ratio[i]!, t);
        add(name, step, 'rel_rate', ratio[i]! / meanRatio, t);
        add(name, step, 'loss_share', loss[i]! / sumLoss, t);
        if (k >= 2) add(name, step, 'dwa', 1 + 0.05 * (i - 1) * x, t);
      });
    });
  }
  return rows;
}

/** A ranking result in the shape `mtl-fd rank --format json` prints. */
export const fixtureRanking = [
  {
    identifier: 'fd',
    task: '',
    at: 'mean',
    direction: 'higher_better',
    results: [
      { perf_metric: 'delta_m', perf_direction: 'higher_better', n_runs: 5, tau_b: 0.6, rho: 0.8 },
      { perf_metric: 'seg_miou', perf_direction: 'higher_better', n_runs: 5, tau_b: -0.2, rho: -0.3 },
    ],
  },
  {
    identifier: 'grad_conflict_frac',
    task: '',
    at: 'final',
    direction: 'lower_better',
    results: [
      { perf_metric: 'delta_m', perf_direction: 'higher_better', n_runs: 5, tau_b: 0.4, rho: 0.5 },
      { perf_metric: 'seg_miou', perf_direction: 'higher_better', n_runs: 5, tau_b: 1, rho: 1 },
    ],
  },
  {
    identifier: 'fd_task',
    task: 'seg',
    at: 'mean',
    direction: 'higher_better',
    results: [
      { perf_metric: 'delta_m', perf_direction: 'higher_better', n_runs: 5, tau_b: -0.6, rho: -0.7 },
      { perf_metric: 'seg_miou', perf_direction: 'higher_better', n_runs: 5, tau_b: null, rho: null },
    ],
  },
];

/** A finding in the shape of '@mtl-fd/metrics' diagnose, with defaults for the fields not given. */
export const finding = (over: Partial<Finding>): Finding => ({
  kind: 'gradient_conflict',
  severity: 'warning',
  run: 'dominant',
  tasks: ['seg', 'depth'],
  steps: { from: 100, to: 300 },
  evidence: [],
  message: 'm',
  advice: 'a',
  ...over,
});
