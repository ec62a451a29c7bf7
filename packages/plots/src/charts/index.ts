import type { TidyRow } from '@mtl-fd/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { NoDataError } from '../errors.js';
import type { ChartEntry, ChartId, ChartOptions } from '../types.js';
import { taskOwnershipSpec } from './ownership.js';
import { pairEvolutionSpec, pairMatrixSpec } from './pairs.js';
import { rankingSimilaritySpec } from './ranking.js';
import { fdTrajectorySpec, taskGradientsSpec, TASK_GRADIENT_PANELS, TRAJECTORY_PANELS } from './trajectory.js';

interface ChartDef {
  id: ChartId;
  title: string;
  description: string;
  stepZoom: boolean;
  build(rows: readonly TidyRow[], options: ChartOptions): TopLevelSpec;
  /** the metrics the chart plots from these rows (what a finding's evidence may point at) */
  plots(rows: readonly TidyRow[]): string[];
}

/** Which of `metrics` the table holds a row of. */
function present(rows: readonly TidyRow[], metrics: readonly string[]): string[] {
  const have = new Set(rows.map((r) => r.metric));
  return metrics.filter((m) => have.has(m));
}

/** The report's charts, in page order. */
export const CHARTS: readonly ChartDef[] = [
  {
    id: 'fd-trajectory',
    title: 'FD trajectory',
    description:
      'Feature Disentanglement (fd over all tasks, fd_task per task) against the training step, above the loss-based identifiers (loss_ratio, rel_rate) and the gradient-based ones (grad_cos_mean, grad_conflict_frac) on the same step axis.',
    stepZoom: true,
    build: (rows) => fdTrajectorySpec(rows),
    plots: (rows) => present(rows, TRAJECTORY_PANELS.flatMap((p) => p.metrics)),
  },
  {
    id: 'pair-fd',
    title: 'Pairwise FD',
    description: 'fd_pair for every pair of tasks at one capture per run (the last, or the one nearest --step).',
    stepZoom: false,
    build: (rows, o) => pairMatrixSpec(rows, 'fd_pair', { step: o.step }),
    plots: (rows) => present(rows, ['fd_pair']),
  },
  {
    id: 'pair-fd-evolution',
    title: 'Pairwise FD over training',
    description: 'fd_pair of each task pair against the training step.',
    stepZoom: true,
    build: (rows) => pairEvolutionSpec(rows, 'fd_pair'),
    plots: (rows) => present(rows, ['fd_pair']),
  },
  {
    id: 'pair-grad-cos',
    title: 'Pairwise gradient cosine',
    description: 'grad_cos (cosine of two tasks\u2019 gradients with respect to the shared features) at one capture per run; red = conflict.',
    stepZoom: false,
    build: (rows, o) => pairMatrixSpec(rows, 'grad_cos', { step: o.step }),
    plots: (rows) => present(rows, ['grad_cos']),
  },
  {
    id: 'pair-grad-cos-evolution',
    title: 'Pairwise gradient cosine over training',
    description: 'grad_cos of each task pair against the training step; below the dashed 0 the pair conflicts.',
    stepZoom: true,
    build: (rows) => pairEvolutionSpec(rows, 'grad_cos'),
    plots: (rows) => present(rows, ['grad_cos']),
  },
  {
    id: 'pair-param-cos-evolution',
    title: 'Pairwise parameter-gradient cosine over training',
    description: 'param_cos (cosine of two tasks\u2019 gradients with respect to the shared parameters, from param_gram) of each task pair against the training step; below the dashed 0 the pair conflicts.',
    stepZoom: true,
    build: (rows) => pairEvolutionSpec(rows, 'param_cos'),
    plots: (rows) => present(rows, ['param_cos']),
  },
  {
    id: 'task-ownership',
    title: 'Task ownership',
    description:
      'Each task\u2019s share of the feature-gradient norm (grad_norm_share) per capture, stacked: which task owns the shared features.',
    stepZoom: true,
    build: (rows) => taskOwnershipSpec(rows),
    // the share it stacks: grad_norm_share, or one derived from grad_norm
    plots: (rows) => present(rows, ['grad_norm_share']).concat(present(rows, ['grad_norm_share']).length ? [] : present(rows, ['grad_norm'])),
  },
  {
    id: 'task-gradients',
    title: 'Task gradients and probe losses',
    description:
      'Each task\u2019s gradient norm w.r.t. the shared features (grad_norm) and parameters (param_norm, param_norm_share), its probe loss, the Gram condition numbers (grad_cond, param_cond) and the parameter-level conflict identifiers (param_cos_mean, param_conflict_frac), on one step axis.',
    stepZoom: true,
    build: (rows) => taskGradientsSpec(rows),
    plots: (rows) => present(rows, TASK_GRADIENT_PANELS.flatMap((p) => p.metrics)),
  },
  {
    id: 'ranking-similarity',
    title: 'Ranking Similarity',
    description: 'Kendall tau-b and Spearman rho of each identifier against the test results (mtl-fd rank).',
    stepZoom: false,
    build: (_rows, o) => {
      if (!o.ranking || (Array.isArray(o.ranking) && o.ranking.length === 0)) {
        throw new NoDataError('no ranking given (pass the JSON of `mtl-fd rank --format json` with --rank)');
      }
      return rankingSimilaritySpec(o.ranking);
    },
    plots: () => [],
  },
];

/**
 * Builds every chart of the report. A chart whose metrics are missing from the table comes back
 * with `unavailable` saying why instead of a spec; other errors propagate.
 */
export function buildCharts(rows: readonly TidyRow[], options: ChartOptions = {}): ChartEntry[] {
  return CHARTS.map((def) => {
    const base = { id: def.id, title: def.title, description: def.description, stepZoom: def.stepZoom };
    try {
      const metrics = def.plots(rows);
      const spec = def.build(rows, options);
      return { ...base, spec: { ...spec, usermeta: { metrics } } as TopLevelSpec, metrics };
    } catch (err) {
      if (err instanceof NoDataError) return { ...base, unavailable: err.message };
      throw err;
    }
  });
}
