// The tfjs-node detection branches, run against stand-in binding packages in a temporary
// node_modules (selectBackend's `resolveFrom`): installed but failing to load, loading but
// registering no backend, and tfjs-node-gpu taken before tfjs-node. The stand-in that
// works registers a real backend (tfjs's cpu backend) under tfjs-node's name,
// 'tensorflow', through tfjs's public registerBackend, as the real binding does.
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '@mtl-fd/capture';
import { selectBackend } from '@mtl-fd/hooks';
import { tempDir } from '../helpers/tmp.js';

const BINDING_BACKEND = 'tensorflow';
// the same tfjs-core and cpu backend the hooks package loads (one engine per process)
const hooksRequire = createRequire(new URL('../../package.json', import.meta.url));
const tfjsCore = hooksRequire.resolve('@tensorflow/tfjs-core');
const tfjsCpu = hooksRequire.resolve('@tensorflow/tfjs-backend-cpu');

type Binding = 'tfjs-node' | 'tfjs-node-gpu';
const STAND_INS = {
  throws: (pkg: string) => `throw new Error(${JSON.stringify(`${pkg}: libtensorflow.so.2: cannot open shared object file`)});\n`,
  registersNothing: () => 'module.exports = {};\n',
  registers: () =>
    `const tf = require(${JSON.stringify(tfjsCore)});\n` +
    `const { MathBackendCPU } = require(${JSON.stringify(tfjsCpu)});\n` +
    `tf.registerBackend(${JSON.stringify(BINDING_BACKEND)}, () => new MathBackendCPU(), 3);\n` +
    'module.exports = { standIn: true };\n',
};

/** A project directory whose node_modules holds the given stand-in bindings. */
async function projectWith(bindings: Partial<Record<Binding, keyof typeof STAND_INS>>): Promise<string> {
  const root = await tempDir('mtl-fd-bindings-');
  for (const [name, kind] of Object.entries(bindings)) {
    const pkg = `@tensorflow/${name}`;
    const dir = join(root, 'node_modules', '@tensorflow', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: pkg, version: '4.22.0', main: 'index.js' }));
    await writeFile(join(dir, 'index.js'), STAND_INS[kind](pkg));
  }
  return root;
}

afterEach(async () => {
  if (tf.findBackendFactory(BINDING_BACKEND) !== null) tf.removeBackend(BINDING_BACKEND);
  await tf.setBackend('cpu');
});

/**
 * Auto selection falls back to wasm past the bindings `skipped` lists, and forcing
 * `forced` is a UserError giving the same reason.
 */
async function expectWasmThenForcedFails(root: string, forced: 'tfjs-node' | 'tfjs-node-gpu', skipped: { choice: string; reason: string }[]) {
  const info = await selectBackend({ resolveFrom: root, log: false });
  expect(info.choice).toBe('wasm');
  expect(info.skipped).toEqual(skipped);
  const reason = skipped.find((s) => s.choice === forced)!.reason;
  await expect(selectBackend({ backend: forced, resolveFrom: root, log: false })).rejects.toThrow(new UserError(`backend ${forced} is not available: ${reason}`));
}

describe('selectBackend with tfjs-node bindings', () => {
  it('a binding that is installed but fails to load is skipped with the loader message', async () => {
    const root = await projectWith({ 'tfjs-node': 'throws' });
    await expectWasmThenForcedFails(root, 'tfjs-node', [
      { choice: 'tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { choice: 'tfjs-node', reason: '@tensorflow/tfjs-node failed to load: @tensorflow/tfjs-node: libtensorflow.so.2: cannot open shared object file' },
    ]);
  });

  it('a binding that loads but registers no backend is skipped, and is an error when forced', async () => {
    const root = await projectWith({ 'tfjs-node-gpu': 'registersNothing' });
    await expectWasmThenForcedFails(root, 'tfjs-node-gpu', [
      { choice: 'tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu is installed but its backend did not start' },
      { choice: 'tfjs-node', reason: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(tf.findBackendFactory(BINDING_BACKEND)).toBeNull();
  });

  it('auto takes tfjs-node-gpu before tfjs-node when both are installed', async () => {
    // the tfjs-node stand-in throws when loaded: auto must not even try it
    const root = await projectWith({ 'tfjs-node-gpu': 'registers', 'tfjs-node': 'throws' });
    const lines: string[] = [];
    const info = await selectBackend({ resolveFrom: root, log: (l) => lines.push(l) });
    expect(info).toMatchObject({ backend: BINDING_BACKEND, choice: 'tfjs-node-gpu', kernelFixes: [], skipped: [] });
    expect(lines).toEqual(["mtl-fd: TensorFlow.js backend 'tensorflow' (tfjs-node-gpu)"]);
    expect(tf.getBackend()).toBe(BINDING_BACKEND);
  });

  it('auto falls through a failing tfjs-node-gpu to a working tfjs-node', async () => {
    const root = await projectWith({ 'tfjs-node-gpu': 'throws', 'tfjs-node': 'registers' });
    const info = await selectBackend({ resolveFrom: root, log: false });
    expect(info).toMatchObject({ backend: BINDING_BACKEND, choice: 'tfjs-node' });
    expect(info.skipped).toEqual([
      { choice: 'tfjs-node-gpu', reason: '@tensorflow/tfjs-node-gpu failed to load: @tensorflow/tfjs-node-gpu: libtensorflow.so.2: cannot open shared object file' },
    ]);
    expect(tf.getBackend()).toBe(BINDING_BACKEND);
  });
});
