// Sweep scoring: a synthetic sweep of 200 captures (10 runs x 20 steps, 1 MiB each) in the
// OS temp dir, scored with 1 worker thread and with every core (cache off), then
// cold with the cache on and re-run with the cache warm. Uses the BUILT package.
// Prints one JSON line: medians (ms), throughputs (captures/s) and ratios.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { SeededRandom } from '@mtl-fd/metrics';
import { scoreSweep } from '@mtl-fd/sweep';

const RUNS = 10;
const STEPS = 20;
// NCHW: 64 Ki elements, 4 tensors of F32 = 1 MiB a capture. Much smaller captures measure
// the worker pool's start-up (~0.25 s) more than the scoring, and show no speed-up.
const SHAPE = [32, 32, 8, 8];
const TASKS = ['seg', 'depth', 'normal'];
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

function rng(seed) {
  const r = SeededRandom.fromState(seed);
  return () => r.next();
}

async function makeSweep(root) {
  const runs = [];
  const n = SHAPE.reduce((a, b) => a * b, 1);
  for (let r = 0; r < RUNS; r++) {
    const run = join(root, `method-${r}`);
    await mkdir(join(run, 'captures'), { recursive: true });
    for (let s = 0; s < STEPS; s++) {
      const rand = rng(r * 1000 + s + 1);
      const draw = (k) => Float32Array.from({ length: n }, () => (rand() - 0.5) * k);
      await writeCapture(join(run, 'captures', captureFileName(s * 100)), {
        meta: { step: s * 100, tasks: TASKS, layout: 'NCHW' },
        shape: SHAPE,
        features: draw(2),
        grads: Object.fromEntries(TASKS.map((t, i) => [t, draw(i + 1)])),
        losses: Object.fromEntries(TASKS.map((t) => [t, 1 / (s + 1) + rand()])),
      });
    }
    runs.push(run);
  }
  return runs;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(fn) {
  globalThis.gc?.();
  const t0 = performance.now();
  const res = await fn();
  return { ms: performance.now() - t0, res };
}

const root = await mkdtemp(join(tmpdir(), 'mtl-fd-bench-sweep-'));
try {
  const runs = await makeSweep(root);
  const created = Date.now();
  const all = availableParallelism();
  const one = [];
  const many = [];
  const cold = [];
  const warm = [];
  let rows = 0;
  for (let i = 0; i < REPEAT; i++) {
    one.push((await time(() => scoreSweep(runs, {}, { workers: 1, cache: false }))).ms);
    many.push((await time(() => scoreSweep(runs, {}, { workers: all, cache: false }))).ms);
  }
  // the hash index trusts a file's stat only once it has been unchanged for 2 s
  // (timestamps are coarse): real captures are that old when a sweep is re-scored
  const settle = 2100 - (Date.now() - created);
  if (settle > 0) await new Promise((r) => setTimeout(r, settle));
  for (let i = 0; i < REPEAT; i++) {
    const cache = join(root, `cache-${i}`);
    const c = await time(() => scoreSweep(runs, {}, { workers: all, cache }));
    if (c.res.stats.scored !== RUNS * STEPS) throw new Error('cold run did not score every capture');
    cold.push(c.ms);
    const w = await time(() => scoreSweep(runs, {}, { workers: all, cache }));
    if (w.res.stats.cached !== RUNS * STEPS) throw new Error('warm run missed the cache');
    if (JSON.stringify(w.res.rows) !== JSON.stringify(c.res.rows)) throw new Error('warm rows differ from cold rows');
    warm.push(w.ms);
    rows = c.res.rows.length;
  }
  const captures = RUNS * STEPS;
  const m1 = median(one);
  const mAll = median(many);
  const mCold = median(cold);
  const mWarm = median(warm);
  const result = {
    captures,
    capture_bytes: 4 * SHAPE.reduce((a, b) => a * b, 1) * (TASKS.length + 1),
    rows,
    workers_all: all,
    repeat: REPEAT,
    score_1_worker_ms: Math.round(m1),
    score_all_workers_ms: Math.round(mAll),
    throughput_1_worker: Math.round((captures / m1) * 1000),
    throughput_all_workers: Math.round((captures / mAll) * 1000),
    speedup_all_vs_1: Number((m1 / mAll).toFixed(2)),
    cold_cached_ms: Math.round(mCold),
    warm_cached_ms: Math.round(mWarm),
    warm_over_cold: Number((mWarm / mCold).toFixed(4)),
    warm_target_met: mWarm / mCold < 0.05,
    samples_ms: Object.fromEntries(Object.entries({ one, many, cold, warm }).map(([k, v]) => [k, v.map(Math.round)])),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
