import { describe, expect, it } from 'vitest';
import { labelSeed } from '../../src/random/labelSeed.js';
import { SeededRandom } from '../../src/random/seededRandom.js';

describe('SeededRandom', () => {
  it('gives the same stream for the same seed and another for a nearby seed', () => {
    const draw = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
    for (const v of draw(7)) expect(v >= 0 && v < 1).toBe(true);
  });

  it('draws integers evenly and shuffles into a permutation', () => {
    const r = new SeededRandom(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[r.int(4)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const a = r.shuffle(Array.from({ length: 20 }, (_, i) => i));
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('labels streams independently of one another', () => {
    expect(labelSeed(0, 'a')).toBe(labelSeed(0, 'a'));
    expect(labelSeed(0, 'a')).not.toBe(labelSeed(0, 'b'));
    expect(labelSeed(1, 'a')).not.toBe(labelSeed(0, 'a'));
    // a seed and a label that share their digits still give distinct streams
    const seeds = new Set([1, 2, 3, 4, 5].map((s) => labelSeed(s, `${s}|x`)));
    expect(seeds.size).toBe(5);
  });
});
