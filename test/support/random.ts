import { SeededRandom } from '@mtl-fd/metrics';

/**
 * Plain mulberry32 as a function: numbers in [0, 1) from `seed`, shared by every
 * package's tests so randomized inputs are reproducible (and the same on every tfjs
 * backend). The generator itself is the one of @mtl-fd/metrics.
 */
export function rng(seed: number): () => number {
  const r = SeededRandom.fromState(seed);
  return () => r.next();
}
