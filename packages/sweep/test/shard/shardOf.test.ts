import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { captureIdentity, shardOf } from '../../src/shard/shardOf.js';

const ids = (runs: number, steps: number) =>
  Array.from({ length: runs * steps }, (_, k) => `run-${Math.floor(k / steps)}/step-${String((k % steps) * 100).padStart(8, '0')}.safetensors`);

describe('captureIdentity', () => {
  it('is the run directory name and file name, wherever the sweep is mounted', () => {
    expect(captureIdentity(join('/a', 'sweep', 'mgda', 'captures', 'step-00000010.safetensors'))).toBe('mgda/step-00000010.safetensors');
    expect(captureIdentity(join('/mnt', 'node7', 'mgda', 'captures', 'step-00000010.safetensors'))).toBe('mgda/step-00000010.safetensors');
    expect(captureIdentity(join('/a', 'loose.safetensors'))).toBe('loose.safetensors');
  });
});

describe('shardOf', () => {
  it('puts every capture in exactly one shard, spread about evenly', () => {
    const all = ids(20, 50);
    const counts = new Array(4).fill(0);
    for (const id of all) {
      const s = shardOf(id, 4);
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(4);
      counts[s - 1]++;
    }
    for (const c of counts) expect(Math.abs(c - 250)).toBeLessThan(60);
    expect(new Set(ids(1, 1).map((id) => shardOf(id, 1)))).toEqual(new Set([1]));
  });
  it('depends only on the identity: other runs joining the sweep move no capture', () => {
    const before = ids(5, 10).map((id) => [id, shardOf(id, 7)] as const);
    const after = new Map(ids(9, 10).map((id) => [id, shardOf(id, 7)]));
    for (const [id, s] of before) expect(after.get(id)).toBe(s);
  });
});
