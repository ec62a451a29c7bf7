// Sharded sweeps: 200 small captures (10 runs x 20 steps) scored by the BUILT CLI as
// 1 shard and as 2 shards in 2 parallel processes (1 worker thread each, cache off),
// then merged; and the merge of 10,000 captures' rows (8 synthetic shards written
// with the sweep package's writeShard: ~40 rows a capture) with `mtl-fd merge`.
// Prints one JSON line: medians (ms) and the 1-vs-2 ratio.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFileName, writeCapture } from '@mtl-fd/capture';
import { METRICS_VERSION } from '@mtl-fd/metrics';
import { captureIdentity, shardOf, writeShard } from '@mtl-fd/sweep';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const RUNS = 10;
const STEPS = 20;
const SHAPE = [8, 16, 8, 8];
const TASKS = ['seg', 'depth', 'normal'];
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const MERGE_CAPTURES = 10_000;
const MERGE_SHARDS = 8;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cli(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mtl-fd ${args.join(' ')}: ${err}`))));
  });
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function makeSweep(root) {
  const n = SHAPE.reduce((a, b) => a * b, 1);
  let s = 1;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) - 0.5;
  for (let r = 0; r < RUNS; r++) {
    const run = join(root, 'sweep', `method-${r}`);
    await mkdir(join(run, 'captures'), { recursive: true });
    for (let k = 0; k < STEPS; k++) {
      const draw = () => Float32Array.from({ length: n }, rand);
      await writeCapture(join(run, 'captures', captureFileName(k * 100)), {
        meta: { step: k * 100, tasks: TASKS, layout: 'NCHW' },
        shape: SHAPE,
        features: draw(),
        grads: Object.fromEntries(TASKS.map((t) => [t, draw()])),
        losses: Object.fromEntries(TASKS.map((t, i) => [t, (1 + i) / (1 + k)])),
      });
    }
  }
  return join(root, 'sweep');
}

/** 8 finished shards holding 10,000 synthetic captures (rows like a 3-task capture's). */
async function makeMergeShards(dir) {
  const options = { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error' };
  const files = Array.from({ length: MERGE_CAPTURES }, (_, k) => join(dir, 'sweep', `run-${Math.floor(k / 100)}`, 'captures', captureFileName((k % 100) * 10)));
  const identities = files.map(captureIdentity);
  const plans = Array.from({ length: MERGE_SHARDS }, (_, i) => ({ spec: { index: i + 1, count: MERGE_SHARDS }, files: [], positions: [], identities: [], results: [] }));
  files.forEach((file, k) => {
    const p = plans[shardOf(identities[k], MERGE_SHARDS) - 1];
    const run = `run-${Math.floor(k / 100)}`;
    const step = (k % 100) * 10;
    const rows = [];
    for (const metric of ['fd', 'fd_mass', 'dead_units', 'units']) rows.push({ run, step, metric, task: '', task_b: '', value: Math.sin(k + rows.length) });
    for (const m of ['fd_task', 'grad_norm', 'grad_norm_share', 'loss']) for (const t of TASKS) rows.push({ run, step, metric: m, task: t, task_b: '', value: Math.cos(k + rows.length) });
    for (const m of ['fd_pair', 'grad_cos', 'grad_gms']) for (const [a, b] of [['seg', 'depth'], ['seg', 'normal'], ['depth', 'normal']]) rows.push({ run, step, metric: m, task: a, task_b: b, value: Math.sin(k * 3 + rows.length) });
    p.files.push(file);
    p.positions.push(k);
    p.identities.push(identities[k]);
    p.results.push({ file, run, step, tasks: TASKS, losses: Object.fromEntries(TASKS.map((t, i) => [t, (1 + i) / (1 + (k % 100))])), rows, warnings: [] });
  });
  const sweepHash = 'synthetic';
  for (const p of plans) {
    const table = join(dir, 'shards', `shard-${p.spec.index}-of-${MERGE_SHARDS}.jsonl`);
    const plan = { ...p, sweepCaptures: MERGE_CAPTURES, sweepHash, shardHash: `shard-${p.spec.index}`, warnings: [] };
    await writeShard(table, [{ path: table, data: '' }], plan, p.results, options, 'jsonl');
  }
  return { dir: join(dir, 'shards'), rowsPerCapture: plans[0].results[0].rows.length, metricsVersion: METRICS_VERSION };
}

const root = await mkdtemp(join(tmpdir(), 'mtl-fd-bench-shard-'));
try {
  const sweep = await makeSweep(root);
  const flags = ['--workers', '1', '--no-cache', '--format', 'csv'];
  const one = [];
  const two = [];
  const merge2 = [];
  for (let i = 0; i < REPEAT; i++) {
    one.push(await timed(() => cli(['score', sweep, '--shard', '1/1', '--out', join(root, `one-${i}`), ...flags])));
    two.push(await timed(() => Promise.all([1, 2].map((s) => cli(['score', sweep, '--shard', `${s}/2`, '--out', join(root, `two-${i}`), ...flags])))));
    merge2.push(await timed(() => cli(['merge', join(root, `two-${i}`), '--out', join(root, `two-${i}.csv`)])));
  }
  const big = await makeMergeShards(root);
  const mergeBig = [];
  const mergeBigParquet = [];
  for (let i = 0; i < REPEAT; i++) {
    mergeBig.push(await timed(() => cli(['merge', big.dir, '--out', join(root, `big-${i}.csv`)])));
    mergeBigParquet.push(await timed(() => cli(['merge', big.dir, '--format', 'parquet', '--out', join(root, `big-${i}.parquet`)])));
  }
  const m1 = median(one);
  const m2 = median(two);
  process.stdout.write(
    `${JSON.stringify({
      captures: RUNS * STEPS,
      repeat: REPEAT,
      one_shard_ms: Math.round(m1),
      two_shards_parallel_ms: Math.round(m2),
      speedup_2_vs_1: Number((m1 / m2).toFixed(2)),
      merge_2_shards_200_captures_ms: Math.round(median(merge2)),
      merge_captures: MERGE_CAPTURES,
      merge_shards: MERGE_SHARDS,
      merge_rows: MERGE_CAPTURES * big.rowsPerCapture,
      merge_10k_csv_ms: Math.round(median(mergeBig)),
      merge_10k_parquet_ms: Math.round(median(mergeBigParquet)),
      samples_ms: Object.fromEntries(Object.entries({ one, two, merge2, mergeBig, mergeBigParquet }).map(([k, v]) => [k, v.map(Math.round)])),
    })}\n`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
