import type { Layout } from '@mtl-fd/capture';
import type { ScoreOptions } from '@mtl-fd/metrics';

// The test reference of FD: a straightforward transcription of docs/metrics.md §2-4,
// sharing no code with @mtl-fd/metrics: units are built from explicit multi-indices,
// entropies from q (or a plain softmax), in float64. Used by the metrics tests and by
// the capture fuzz test (valid captures must score to it).

type Saliency = ScoreOptions['saliency'];
type Granularity = ScoreOptions['granularity'];

export interface ReferenceOptions {
  saliency: Saliency;
  granularity: Granularity;
  temperature: number;
}

export interface ReferenceFd {
  fd: number;
  fd_mass: number;
  fd_task: number[];
  /** pairs a < b in row-major order */
  fd_pair: number[];
  dead: number;
  units: number;
}

/** `skip[i]` leaves element i out of everything (non-finite policy 'skip'). */
export function referenceFd(
  z: ArrayLike<number>,
  g: readonly ArrayLike<number>[],
  shape: readonly number[],
  layout: Layout,
  o: ReferenceOptions,
  skip?: readonly boolean[],
): ReferenceFd {
  const T = g.length;
  const n = z.length;
  const channelsLast = layout === 'NC' || layout === 'NHWC' || layout === 'NLC';
  const units = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const idx: number[] = [];
    let rest = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(rest % shape[d]!);
      rest = Math.floor(rest / shape[d]!);
    }
    const channel = channelsLast ? idx[idx.length - 1]! : idx[1]!;
    const position = channelsLast ? idx.slice(1, -1) : idx.slice(2);
    const key =
      o.granularity === 'element' ? `e${i}` : o.granularity === 'channel' ? `c${channel}` : `s${idx[0]}:${position.join(',')}`;
    let R = units.get(key);
    if (!R) units.set(key, (R = new Array<number>(T).fill(0)));
    if (skip?.[i]) {
      if (o.granularity === 'element') units.delete(key);
      continue;
    }
    for (let t = 0; t < T; t++) R[t] += o.saliency === 'grad' ? Math.abs(g[t]![i]!) : Math.abs(g[t]![i]! * z[i]!);
  }
  const tau = o.temperature;
  let hSum = 0;
  let live = 0;
  let dead = 0;
  let massH = 0;
  let mass = 0;
  const taskH = new Array<number>(T).fill(0);
  const taskM = new Array<number>(T).fill(0);
  const pairs: [number, number][] = [];
  for (let a = 0; a < T; a++) for (let b = a + 1; b < T; b++) pairs.push([a, b]);
  const pairH = pairs.map(() => 0);
  const pairM = pairs.map(() => 0);
  for (const R of units.values()) {
    const S = R.reduce((s, v) => s + v, 0);
    for (let t = 0; t < T; t++) taskM[t] += R[t]!;
    mass += S;
    if (S === 0) {
      dead++;
      continue;
    }
    live++;
    const q = R.map((v) => v / S);
    const p = tau === 0 ? q : softmax(q.map((v) => v / tau));
    const h = -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0) / Math.log(T);
    hSum += h;
    massH += S * h;
    for (let t = 0; t < T; t++) taskH[t] += R[t]! * h;
    pairs.forEach(([a, b], k) => {
      const s = R[a]! + R[b]!;
      if (s === 0) return;
      const qa = R[a]! / s;
      const pp = tau === 0 ? [qa, R[b]! / s] : softmax([qa / tau, (1 - qa) / tau]);
      const h2 = -pp.reduce((acc, v) => acc + (v > 0 ? v * Math.log2(v) : 0), 0);
      pairH[k] += s * h2;
      pairM[k] += s;
    });
  }
  return {
    fd: 1 - hSum / live,
    fd_mass: 1 - massH / mass,
    fd_task: taskH.map((v, t) => (taskM[t]! > 0 ? 1 - v / taskM[t]! : NaN)),
    fd_pair: pairH.map((v, k) => (pairM[k]! > 0 ? 1 - v / pairM[k]! : NaN)),
    dead,
    units: units.size,
  };
}

function softmax(x: number[]): number[] {
  const e = x.map((v) => Math.exp(v));
  const Z = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / Z);
}

/** fd_pair of the package (T x T) in the reference's a < b order. */
export function upperPairs(m: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (let a = 0; a < m.length; a++) for (let b = a + 1; b < m.length; b++) out.push(m[a]![b]!);
  return out;
}
