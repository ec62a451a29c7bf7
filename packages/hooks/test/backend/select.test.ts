import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { BACKEND_ENV, selectBackend } from '@mtl-fd/hooks';

async function installed(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}
const hasNode = await installed('@tensorflow/tfjs-node');
const hasNodeGpu = await installed('@tensorflow/tfjs-node-gpu');

afterEach(() => {
  delete process.env[BACKEND_ENV];
});

describe('selectBackend', () => {
  it('logs what it chose once per process, and returns it', async () => {
    const lines: string[] = [];
    const info = await selectBackend({ backend: 'cpu', log: (l) => lines.push(l) });
    await selectBackend({ backend: 'cpu', log: (l) => lines.push(l) });
    expect(info).toMatchObject({ backend: 'cpu', choice: 'cpu', kernelFixes: [] });
    expect(lines).toEqual(["mtl-fd: TensorFlow.js backend 'cpu' (cpu)"]);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('auto falls back to wasm with its kernel fixes when the node bindings are absent', async (ctx) => {
    if (hasNode || hasNodeGpu) ctx.skip('a tfjs-node binding is installed here, so auto does not fall back');
    const info = await selectBackend({ log: false });
    expect(info.backend).toBe('wasm');
    expect(info.choice).toBe('wasm');
    expect(info.kernelFixes).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'BatchMatMul', 'MaxPoolGrad']));
    expect(info.skipped).toEqual([
      { choice: 'tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { choice: 'tfjs-node', reason: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(info.description).toMatch(/^mtl-fd: TensorFlow\.js backend 'wasm' \(wasm, (no )?SIMD, \d+ kernels replaced\); skipped tfjs-node-gpu: .* not installed; tfjs-node: .* not installed$/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a forced tfjs-node that is not installed is a clear error', async (ctx) => {
    if (hasNode) ctx.skip('@tensorflow/tfjs-node is installed here');
    await expect(selectBackend({ backend: 'tfjs-node', log: false })).rejects.toThrow(
      new UserError('backend tfjs-node is not available: @tensorflow/tfjs-node is not installed'),
    );
  });

  it(`honours ${BACKEND_ENV}, and an option over it`, async () => {
    process.env[BACKEND_ENV] = 'cpu';
    expect((await selectBackend({ log: false })).backend).toBe('cpu');
    expect((await selectBackend({ backend: 'wasm', log: false })).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // switching back to a choice made earlier re-activates it
    expect((await selectBackend({ log: false })).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    process.env[BACKEND_ENV] = 'gpu';
    await expect(selectBackend({ log: false })).rejects.toThrow(/MTL_FD_BACKEND must be one of auto, tfjs-node-gpu, tfjs-node, wasm, cpu \(got 'gpu'\)/);
  });
});
