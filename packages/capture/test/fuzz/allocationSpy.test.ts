import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCapture } from '../../src/encodeCapture.js';
import { readCapture } from '../../src/readCapture.js';
import { installAllocationSpy, type AllocationSpy } from './allocationSpy.js';

let spy: AllocationSpy | undefined;
afterEach(() => {
  spy?.restore();
  spy = undefined;
});

describe('allocation spy', () => {
  it('sees typed array, ArrayBuffer and Buffer requests, and restores the globals', () => {
    const originals = [Float64Array, Uint8Array, ArrayBuffer, Buffer.allocUnsafeSlow];
    spy = installAllocationSpy();
    expect(spy.max()).toBe(0);
    new Float32Array(1000);
    expect(spy.max()).toBe(4000);
    Float64Array.from([1, 2, 3]);
    new ArrayBuffer(10);
    expect(spy.max()).toBe(4000);
    Buffer.allocUnsafeSlow(5000);
    expect(spy.max()).toBe(5000);
    const a = new Uint8Array(8);
    expect(a).toBeInstanceOf(Uint8Array);
    spy.reset();
    expect(spy.max()).toBe(0);
    spy.restore();
    spy = undefined;
    expect([Float64Array, Uint8Array, ArrayBuffer, Buffer.allocUnsafeSlow]).toEqual(originals);
  });

  it('sees the allocations the capture reader makes from its own modules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mtl-fd-spy-'));
    try {
      const file = join(dir, 'c.safetensors');
      const n = 64 * 16;
      const bytes = encodeCapture({
        meta: { step: 1, tasks: ['a', 'b'], layout: 'NC' },
        shape: [64, 16],
        dtype: 'F64',
        features: new Float64Array(n),
        grads: { a: new Float64Array(n), b: new Float64Array(n) },
      });
      await writeFile(file, bytes);
      spy = installAllocationSpy();
      await readCapture(file);
      // the features alone are n doubles
      expect(spy.max()).toBeGreaterThanOrEqual(n * 8);
      expect(spy.max()).toBeLessThan(16 * bytes.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
