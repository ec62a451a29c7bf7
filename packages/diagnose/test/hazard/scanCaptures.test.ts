import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCapture } from '@mtl-fd/capture';
import type { DType } from '@mtl-fd/capture';
import { detectNumericalHazards } from '../../src/hazard/numericalHazard.js';
import { scanCaptureUnderflow, scanRunUnderflow } from '../../src/hazard/scanCaptures.js';
import { noise } from '../../../../test/support/syntheticRun.js';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'mtl-fd-hazard-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

const B = 8;
const C = 64;

/** A capture whose `depth` gradient has magnitudes around `depthScale`, `seg` around 1e-2. */
async function capture(name: string, step: number, dtype: DType, depthScale: number): Promise<string> {
  const rand = noise(step + 1);
  const n = B * C;
  const features = Float64Array.from({ length: n }, () => rand());
  const seg = Float64Array.from({ length: n }, () => 1e-2 * (0.5 + Math.abs(rand())) * Math.sign(rand() || 1));
  // magnitudes spread over ~3 decades below depthScale, like real per-element gradients
  const depth = Float64Array.from({ length: n }, () => depthScale * 10 ** (-3 * Math.abs(rand())) * Math.sign(rand() || 1));
  const file = join(dir, name);
  await writeCapture(file, {
    meta: { step, tasks: ['seg', 'depth'], layout: 'NC', run: 'amp' },
    shape: [B, C],
    features,
    grads: { seg, depth },
    dtype,
  });
  return file;
}

describe('scanning captures for underflow', () => {
  it('finds the subnormals and zeros of a float16 gradient at ~1e-5 scale', async () => {
    const scan = await scanCaptureUnderflow(await capture('f16-tiny.safetensors', 100, 'F16', 1e-5));
    expect(scan).toBeDefined();
    expect(scan!.run).toBe('amp');
    expect(scan!.dtype).toBe('F16');
    const [seg, depth] = scan!.tasks;
    expect(seg).toEqual({ task: 'seg', values: B * C, zeros: 0, subnormals: 0 });
    expect(depth!.values).toBe(B * C);
    expect(depth!.subnormals).toBeGreaterThan(B * C * 0.5);
    expect(depth!.zeros).toBeGreaterThan(0);
  });

  it('skips float32 captures without reading their data', async () => {
    expect(await scanCaptureUnderflow(await capture('f32-tiny.safetensors', 100, 'F32', 1e-5))).toBeUndefined();
  });

  it('turns into a numerical-hazard finding only for the underflowing float16 task', async () => {
    const files = [
      await capture('a-0.safetensors', 0, 'F16', 1e-1),
      await capture('a-1.safetensors', 100, 'F16', 1e-5),
      await capture('a-2.safetensors', 200, 'F16', 1e-5),
      await capture('a-3.safetensors', 300, 'F32', 1e-5),
    ];
    const found = detectNumericalHazards(await scanRunUnderflow(files));
    expect(found.map((f) => [f.kind, f.run, f.tasks, f.steps])).toEqual([['numerical_hazard', 'amp', ['depth'], { from: 100, to: 200 }]]);
    expect(found[0]!.message).toContain('in 2 of 3 captures');
  });

  it('raises nothing for float16 gradients at a healthy scale, or bfloat16 at ~1e-5', async () => {
    const files = [await capture('h-0.safetensors', 0, 'F16', 1e-1), await capture('h-1.safetensors', 1, 'BF16', 1e-5)];
    expect(detectNumericalHazards(await scanRunUnderflow(files))).toEqual([]);
  });
});
