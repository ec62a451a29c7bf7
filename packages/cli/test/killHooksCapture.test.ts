// The real hooks write path, killed: a child process trains a tfjs model with
// model.fit and fdCallback (createProbe underneath), capturing after every batch, and is
// SIGKILLed, half the time the moment a capture's temporary file appears (so the kill
// lands mid-write), half the time at a random point. After every kill no partial capture
// sits under a final name: each one is byte for byte what an uninterrupted run writes.
// At the end the built `mtl-fd clean` removes the temporary files the kills left.
// The child processes run the BUILT packages (npm test builds first).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CAPTURES_DIR, captureStepOf, listCaptures, parseTempFileName, readCapture } from '@mtl-fd/capture';
import { findLeftovers } from '@mtl-fd/sweep';
import { builtPackage } from '../../../test/support/built.js';
import { childScript } from './childScript.js';
import { runMtlFd } from './cliProcess.js';

const TASKS = ['depth', 'seg'];
const PROBE_ROWS = 512;
const SHARED_UNITS = 256;

// The child: a dense two-task model on the cpu backend (deterministic, so a step's
// capture is the same bytes in every run), trained one batch per epoch with an
// fdCallback capturing after every batch; a capture holds 3 x 512 x 256 float32 values
// (1.5 MB), so a write spans many system calls and an fsync. The run name is fixed, as
// the reference run's directory has another name. `write` trains until it is
// killed; `reference` trains for the given number of epochs and exits.
const CHILD = `
const tf = await import(${JSON.stringify(builtPackage('@tensorflow/tfjs'))});
const { fdCallback, selectBackend } = await import(${JSON.stringify(builtPackage('@mtl-fd/hooks'))});
const [mode, runDir, epochs] = process.argv.slice(2);
await selectBackend({ backend: 'cpu', log: false });
const init = (seed) => tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed });
const x = tf.input({ shape: [64], name: 'x' });
const shared = tf.layers.dense({ units: ${SHARED_UNITS}, activation: 'tanh', name: 'shared', kernelInitializer: init(1), biasInitializer: init(2) }).apply(x);
const depth = tf.layers.dense({ units: 4, name: 'depth', kernelInitializer: init(3) }).apply(shared);
const seg = tf.layers.dense({ units: 3, name: 'seg', kernelInitializer: init(4) }).apply(shared);
const model = tf.model({ inputs: x, outputs: [depth, seg] });
model.compile({ optimizer: tf.train.sgd(0.01), loss: { depth: 'meanSquaredError', seg: 'meanSquaredError' } });
const data = (n, seed) => ({
  xs: tf.randomUniform([n, 64], -1, 1, 'float32', seed),
  ys: { depth: tf.randomUniform([n, 4], -1, 1, 'float32', seed + 1), seg: tf.randomUniform([n, 3], -1, 1, 'float32', seed + 2) },
});
const train = data(32, 10);
const probe = data(${PROBE_ROWS}, 20);
const ready = new (class extends tf.Callback {
  async onBatchEnd() {
    if (!this.said) process.stdout.write('ready\\n');
    this.said = true;
  }
})();
await model.fit(train.xs, train.ys, {
  epochs: mode === 'reference' ? Number(epochs) : 1e9,
  batchSize: 32,
  shuffle: false,
  verbose: 0,
  callbacks: [fdCallback({ runDir, sharedLayer: 'shared', probe, every: { batches: 1 }, runName: 'killed', log: () => {} }), ready],
});
`;

const child = childScript('mtl-fd-kill-hooks-', CHILD);

/**
 * Starts a training writing into `runDir` and SIGKILLs it: at the first capture
 * temporary file that appears once it has trained a batch (`onTemp`), or `delay` ms
 * after that batch. Resolves once it is dead.
 */
function trainThenKill(runDir: string, when: { onTemp: true } | { delay: number }): Promise<NodeJS.Signals | null> {
  const captures = join(runDir, CAPTURES_DIR);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child.path, 'write', runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let watcher: ReturnType<typeof watch> | undefined;
    const kill = () => p.kill('SIGKILL');
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.once('data', () => {
      if ('delay' in when) return void setTimeout(kill, when.delay);
      watcher = watch(captures, (_event, name) => {
        if (name !== null && parseTempFileName(String(name)) !== undefined) kill();
      });
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      watcher?.close();
      if (signal) resolve(signal);
      else reject(new Error(`training exited with ${code}: ${stderr}`));
    });
  });
}

async function run(args: string[]): Promise<void> {
  const r = await child.run(args);
  expect(r.code, r.stderr).toBe(0);
}

describe('killing a training that captures with fdCallback', () => {
  it('leaves only complete captures under final names, and mtl-fd clean removes the temporary files', async () => {
    const runDir = join(child.root, 'run');
    await mkdir(join(runDir, CAPTURES_DIR), { recursive: true });
    const KILLS = 8;
    // temporary capture files left by the kills (each kill's are new: the pid differs)
    const tempsLeft = new Set<string>();
    for (let k = 0; k < KILLS; k++) {
      const when = k % 2 === 0 ? { onTemp: true as const } : { delay: Math.floor(Math.random() * 300) };
      expect(await trainThenKill(runDir, when)).toBe('SIGKILL');
      // every capture under a final name is whole (the reader checks sizes and offsets)
      for (const f of await listCaptures(runDir)) {
        const c = await readCapture(f);
        expect(c.shape).toEqual([PROBE_ROWS, SHARED_UNITS]);
        expect(c.meta.tasks).toEqual(TASKS);
      }
      for (const n of await readdir(join(runDir, CAPTURES_DIR))) {
        const t = parseTempFileName(n);
        if (t !== undefined && captureStepOf(t.target) !== undefined) tempsLeft.add(n);
      }
    }
    // the kills must have hit capture writes in progress, or this test proves little
    expect(tempsLeft.size).toBeGreaterThan(0);

    // byte for byte what an uninterrupted training writes at the same steps
    const written = await listCaptures(runDir);
    expect(written.length).toBeGreaterThan(0);
    const steps = written.map((f) => captureStepOf(basename(f))!);
    const refDir = join(child.root, 'reference');
    // a capture at step 0 and after each one-batch epoch: epochs = the last step
    await run(['reference', refDir, String(Math.max(...steps))]);
    for (const f of written) {
      expect(Buffer.compare(await readFile(f), await readFile(join(refDir, CAPTURES_DIR, basename(f)))), basename(f)).toBe(0);
    }

    // the built CLI removes what the kills left (temporary files, the stale lock), nothing else
    const leftovers = await findLeftovers(join(runDir, CAPTURES_DIR));
    expect(leftovers.map((l) => basename(l.path)).sort()).toEqual([...tempsLeft].sort());
    const before = (await readdir(join(runDir, CAPTURES_DIR))).filter((n) => captureStepOf(n) !== undefined).sort();
    const clean = await runMtlFd(['clean', runDir]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout.toString()).toMatch(/clean: removed \d+ files/);
    expect(await findLeftovers(runDir, true)).toEqual([]);
    expect((await readdir(join(runDir, CAPTURES_DIR))).sort()).toEqual(before);
  }, 240_000);
});
