import type { TaskName } from './data.js';
import type { SeededRandom } from '@mtl-fd/metrics';

/** The multi-task training methods the demo compares. */
export type MethodId = 'ew' | 'uw' | 'dwa' | 'imbalanced' | 'pcgrad' | 'mgda';
export const METHOD_IDS: readonly MethodId[] = ['ew', 'uw', 'dwa', 'imbalanced', 'pcgrad', 'mgda'];

export interface MethodInfo {
  id: MethodId;
  label: string;
  /** one sentence for the README, the help and the report */
  description: string;
  /** 'fit': trained by model.fit with fdCallback; 'custom': a custom loop with createProbe */
  engine: 'fit' | 'custom';
}

/** The task the fixed imbalanced weighting multiplies, and by how much. */
export const IMBALANCED_TASK: TaskName = 'left';
export const IMBALANCED_FACTOR = 10;

export const METHODS: Record<MethodId, MethodInfo> = {
  ew: {
    id: 'ew',
    label: 'equal weighting',
    description: 'sum of the task losses, weight 1 each (model.fit)',
    engine: 'fit',
  },
  uw: {
    id: 'uw',
    label: 'uncertainty weighting',
    description: 'Kendall et al. 2018: sum of exp(-s_t)/2 * L_t + s_t/2 with learned log-variances s_t (custom loop)',
    engine: 'custom',
  },
  dwa: {
    id: 'dwa',
    label: 'dynamic weight avg.',
    description:
      'Liu et al. 2019 (DWA): task weights T exp(r_t/2) / sum_s exp(r_s/2) with r_t the ratio of the last two epochs\' mean losses, 1 for the first two epochs (model.fit)',
    engine: 'fit',
  },
  imbalanced: {
    id: 'imbalanced',
    label: `fixed, ${IMBALANCED_TASK} x${IMBALANCED_FACTOR}`,
    description: `fixed imbalanced weighting: the ${IMBALANCED_TASK} loss x${IMBALANCED_FACTOR}, the others x1 (model.fit)`,
    engine: 'fit',
  },
  pcgrad: {
    id: 'pcgrad',
    label: 'PCGrad on dL/dz',
    description:
      'Yu et al. 2020, on feature-level gradients: each dL_t/dz is projected off the others it conflicts with, the sum is back-propagated through the backbone (custom loop)',
    engine: 'custom',
  },
  mgda: {
    id: 'mgda',
    label: 'MGDA-UB on dL/dz',
    description:
      "Sener & Koltun 2018 (MGDA-UB): min-norm convex combination of the feature-level gradients dL_t/dz ('loss+' normalisation) drives the backbone (custom loop)",
    engine: 'custom',
  },
};

/** Static loss weights of a model.fit method. */
export function fitLossWeights(method: MethodId, tasks: readonly TaskName[]): Record<string, number> {
  const w: Record<string, number> = {};
  for (const t of tasks) w[t] = method === 'imbalanced' && t === IMBALANCED_TASK ? IMBALANCED_FACTOR : 1;
  return w;
}

/**
 * Dynamic Weight Average (Liu et al. 2019), temperature 2: the weights of the next
 * epoch from the mean task losses of the last (`last`) and the one before (`before`).
 */
export function dwaWeights(last: readonly number[], before: readonly number[], temperature = 2): number[] {
  const T = last.length;
  const r = last.map((l, i) => (before[i]! > 0 && Number.isFinite(l / before[i]!) ? l / before[i]! : 1));
  const m = r.map((x) => x / temperature).reduce((acc, v) => Math.max(acc, v), -Infinity);
  const e = r.map((x) => Math.exp(x / temperature - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => (T * x) / sum);
}

/** K as a T x T array of rows. */
export type Gram = number[][];

/**
 * PCGrad (Yu et al. 2020) expressed on the Gram matrix of the task gradients:
 * every projected gradient g_i' stays a linear combination sum_k c_ik g_k of the
 * originals, so its dot products are c_i K. Each task, in turn, is projected off
 * every other task's *original* gradient it conflicts with, in a random order.
 * Returns w with sum_i g_i' = sum_k w_k g_k.
 */
export function pcgradWeights(K: Gram, rng: SeededRandom): number[] {
  const T = K.length;
  const w = new Array<number>(T).fill(0);
  for (let i = 0; i < T; i++) {
    const c = new Array<number>(T).fill(0);
    c[i] = 1;
    const others = [...Array(T).keys()].filter((j) => j !== i);
    rng.shuffle(others);
    for (const j of others) {
      const kjj = K[j]![j]!;
      if (!(kjj > 0)) continue;
      let dot = 0;
      for (let k = 0; k < T; k++) dot += c[k]! * K[k]![j]!;
      if (dot < 0) c[j] = c[j]! - dot / kjj;
    }
    for (let k = 0; k < T; k++) w[k] = w[k]! + c[k]!;
  }
  return w;
}

/**
 * Min-norm point of the convex hull of the gradients (MGDA-UB's sub-problem):
 * argmin over the simplex of a' K a. As in Sener & Koltun's MinNormSolver: start
 * from the best two-task solution (closed form), then Frank-Wolfe steps with exact
 * line search.
 */
export function minNormWeights(K: Gram, iterations = 250, tolerance = 1e-9): number[] {
  const T = K.length;
  let a = new Array<number>(T).fill(1 / T);
  if (T === 1) return [1];
  let best = Infinity;
  for (let i = 0; i < T; i++) {
    for (let j = i + 1; j < T; j++) {
      const kii = K[i]![i]!;
      const kjj = K[j]![j]!;
      const kij = K[i]![j]!;
      const denom = kii + kjj - 2 * kij;
      const g = denom > 0 ? Math.min(1, Math.max(0, (kjj - kij) / denom)) : 0.5;
      const cost = g * g * kii + 2 * g * (1 - g) * kij + (1 - g) * (1 - g) * kjj;
      if (cost < best) {
        best = cost;
        a = new Array<number>(T).fill(0);
        a[i] = g;
        a[j] = 1 - g;
      }
    }
  }
  for (let it = 0; it < iterations; it++) {
    const Ka = K.map((row) => row.reduce((s, v, k) => s + v * a[k]!, 0));
    const vv = a.reduce((s, ai, k) => s + ai * Ka[k]!, 0);
    let t = 0;
    for (let k = 1; k < T; k++) if (Ka[k]! < Ka[t]!) t = k;
    const vg = Ka[t]!;
    const gg = K[t]![t]!;
    const denom = vv - 2 * vg + gg;
    if (!(denom > 0)) break;
    const gamma = Math.min(1, Math.max(0, (vv - vg) / denom));
    if (gamma < tolerance) break;
    a = a.map((ai, k) => (1 - gamma) * ai + (k === t ? gamma : 0));
  }
  return a;
}

/**
 * MGDA-UB weights with Sener & Koltun's 'loss+' normalisation: gradients are
 * divided by L_t * ||g_t|| before the min-norm problem; the resulting convex
 * weights then scale the unnormalised task gradients (as their code does).
 */
export function mgdaWeights(K: Gram, losses: number[]): number[] {
  const T = K.length;
  const n = K.map((row, i) => {
    const s = losses[i]! * Math.sqrt(Math.max(row[i]!, 0));
    return s > 0 && Number.isFinite(s) ? s : 1;
  });
  const Kn = K.map((row, i) => row.map((v, j) => v / (n[i]! * n[j]!)));
  const a = minNormWeights(Kn);
  return a.slice(0, T);
}
