// Synthetic tidy tables for the diagnose tests: a per-capture "state" (gradient norms,
// pair cosines, FD, losses) from which every metric of docs/metrics.md §10 is derived
// consistently (shares, nulls for zero norms, cond from the Gram matrix, the loss
// identifiers over the run), so crafted faults look like what scoring would write.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { rng } from './random.js';
import type { TidyRow } from '@mtl-fd/metrics';

export interface CaptureState {
  /** feature-gradient norm per task */
  norms: Record<string, number>;
  /** cosine per pair key `a|b` (a before b in task order) */
  cos: Record<string, number>;
  fd: number;
  fdTask: Record<string, number>;
  loss: Record<string, number>;
  /** overrides the cond computed from norms and cosines (null = infinite) */
  cond?: number | null;
}

export const TASKS = ['seg', 'depth', 'normal'];
export const STEPS = Array.from({ length: 11 }, (_, k) => k * 100);

/** Deterministic noise in [-1, 1) (mulberry32). */
export function noise(seed: number): () => number {
  const next = rng(seed);
  return () => next() * 2 - 1;
}

export const pairs = (tasks: readonly string[]): [string, string][] =>
  tasks.flatMap((a, i) => tasks.slice(i + 1).map((b) => [a, b] as [string, string]));

/**
 * A healthy, balanced run: three tasks with similar gradient norms (+-10%), mildly
 * aligned gradients (one pair near orthogonal, wobbling around 0.02), cond ~2, FD
 * drifting 0.30 -> 0.37 with noise, losses falling at similar rates.
 */
export function balancedState(k: number, rand: () => number, tasks: readonly string[] = TASKS): CaptureState {
  const norms: Record<string, number> = {};
  const fdTask: Record<string, number> = {};
  const loss: Record<string, number> = {};
  tasks.forEach((t, i) => {
    norms[t] = (0.01 + 0.002 * i) * (1 + 0.1 * rand());
    fdTask[t] = 0.35 + 0.05 * rand();
    loss[t] = (1 + 0.5 * i) * Math.exp(-(0.1 + 0.01 * i) * k) * (1 + 0.02 * rand());
  });
  const cos: Record<string, number> = {};
  pairs(tasks).forEach(([a, b], i) => {
    cos[`${a}|${b}`] = i === pairs(tasks).length - 1 ? 0.02 + 0.04 * rand() : 0.25 + 0.1 * rand();
  });
  return { norms, cos, fd: 0.3 + 0.007 * k + 0.01 * rand(), fdTask, loss };
}

function cond(tasks: readonly string[], s: CaptureState): number | null {
  if (tasks.some((t) => s.norms[t] === 0)) return null;
  const K = new Matrix(tasks.length, tasks.length);
  tasks.forEach((a, i) =>
    tasks.forEach((b, j) => {
      const c = i === j ? 1 : i < j ? s.cos[`${a}|${b}`]! : s.cos[`${b}|${a}`]!;
      K.set(i, j, c * s.norms[a]! * s.norms[b]!);
    }),
  );
  const ev = new EigenvalueDecomposition(K, { assumeSymmetric: true }).realEigenvalues;
  const min = Math.min(...ev);
  return min <= 0 ? null : Math.sqrt(Math.max(...ev) / min);
}

export interface RunOptions {
  run?: string;
  tasks?: readonly string[];
  steps?: readonly number[];
  seed?: number;
  /** change the state of capture k (index into steps) before the metrics are derived */
  edit?: (state: CaptureState, k: number, step: number) => void;
  /** also write param_* metrics (a copy of the feature-level ones) */
  param?: boolean;
}

/** The tidy rows of a synthetic run (every metric of docs/metrics.md §10 but fd_pair's exact values). */
export function syntheticRun(options: RunOptions = {}): TidyRow[] {
  const run = options.run ?? 'healthy';
  const tasks = options.tasks ?? TASKS;
  const steps = options.steps ?? STEPS;
  const rand = noise(options.seed ?? 7);
  const rows: TidyRow[] = [];
  const push = (step: number, metric: string, value: number | null, task = '', task_b = ''): void => {
    rows.push({ run, step, metric, task, task_b, value });
  };
  const states = steps.map((step, k) => {
    const s = balancedState(k, rand, tasks);
    options.edit?.(s, k, step);
    return s;
  });
  steps.forEach((step, k) => {
    const s = states[k]!;
    push(step, 'fd', s.fd);
    push(step, 'fd_mass', s.fd + 0.02);
    push(step, 'dead_units', 0);
    push(step, 'units', 4096);
    for (const t of tasks) push(step, 'fd_task', s.norms[t] === 0 ? null : s.fdTask[t]!, t);
    for (const [a, b] of pairs(tasks)) push(step, 'fd_pair', s.norms[a] === 0 && s.norms[b] === 0 ? null : 0.4, a, b);
    for (const prefix of options.param ? ['grad', 'param'] : ['grad']) {
      const total = tasks.reduce((sum, t) => sum + s.norms[t]!, 0);
      for (const t of tasks) push(step, `${prefix}_norm`, s.norms[t]!, t);
      for (const t of tasks) push(step, `${prefix}_norm_share`, total ? s.norms[t]! / total : null, t);
      const live: number[] = [];
      for (const [a, b] of pairs(tasks)) {
        const dead = s.norms[a] === 0 || s.norms[b] === 0;
        const c = dead ? null : s.cos[`${a}|${b}`]!;
        if (c !== null) live.push(c);
        push(step, `${prefix}_cos`, c, a, b);
        const na = s.norms[a]!;
        const nb = s.norms[b]!;
        push(step, `${prefix}_gms`, na || nb ? (2 * na * nb) / (na * na + nb * nb) : null, a, b);
      }
      push(step, `${prefix}_cos_mean`, live.length ? live.reduce((x, y) => x + y, 0) / live.length : null);
      push(step, `${prefix}_conflict_frac`, live.length ? live.filter((c) => c < 0).length / live.length : null);
      push(step, `${prefix}_cond`, s.cond !== undefined ? s.cond : cond(tasks, s));
    }
    for (const t of tasks) push(step, 'loss', s.loss[t]!, t);
    const ratio = (t: string, kk: number): number => states[kk]!.loss[t]! / states[0]!.loss[t]!;
    const meanRatio = tasks.reduce((sum, t) => sum + ratio(t, k), 0) / tasks.length;
    const lossSum = tasks.reduce((sum, t) => sum + s.loss[t]!, 0);
    for (const t of tasks) {
      push(step, 'loss_ratio', ratio(t, k), t);
      push(step, 'rel_rate', ratio(t, k) / meanRatio, t);
      push(step, 'loss_share', s.loss[t]! / lossSum, t);
    }
    if (k >= 2) {
      const w = tasks.map((t) => states[k - 1]!.loss[t]! / states[k - 2]!.loss[t]!);
      const z = w.reduce((sum, x) => sum + Math.exp(x / 2), 0);
      tasks.forEach((t, i) => push(step, 'dwa', (tasks.length * Math.exp(w[i]! / 2)) / z, t));
    }
  });
  return rows;
}

/** Rows of several runs interleaved and shuffled deterministically (order must not matter). */
export function shuffled<T>(items: readonly T[], seed = 3): T[] {
  const rand = noise(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(((rand() + 1) / 2) * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
