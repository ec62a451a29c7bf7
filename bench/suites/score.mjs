// Scoring throughput of `scoreCapture` (every score of one capture in one pass)
// against a plain-numpy implementation of the same formulas, timed in the same
// run, and the peak memory of scoring a ~1 GB capture in a child process.
// Imports the built package: run `npm run build` first (npm run bench does).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createCaptureWriter, openCapture } from '@mtl-fd/capture';
import { scoreCapture } from '@mtl-fd/metrics';

const TASKS = ['seg', 'depth', 'normal'];
const OPTIONS = { saliency: 'grad', granularity: 'element', temperature: 0, nonFinite: 'error' };
const REPEAT = 5;

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Deterministic float32 pools: ReLU-like features, gradient-sized (~1e-5) gradients with a few zeros. */
function pools() {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const n = (1 << 20) + 7;
  const features = Float32Array.from({ length: n }, () => Math.max(0, normal()));
  const grads = Float32Array.from({ length: n }, () => (rand() < 0.02 ? 0 : normal() * 1e-5));
  return { features, grads, n };
}

/** Writes a capture row block by row block (memory stays one block). */
async function writeBench(file, shape) {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const writer = await createCaptureWriter(file, { meta: { step: 0, tasks: TASKS, layout: 'NHWC', run: 'bench' }, shape, dtype: 'F32' });
  const p = pools();
  const rowsPerBlock = Math.max(1, Math.floor((4 << 20) / rowSize));
  try {
    for (let r = 0; r < shape[0]; r += rowsPerBlock) {
      const rows = Math.min(rowsPerBlock, shape[0] - r);
      const len = rows * rowSize;
      const take = (pool, k) => {
        const out = new Float32Array(len);
        for (let i = 0; i < len; ) {
          const off = ((r + 1) * 7919 + k * 104729 + i * 31) % (p.n - 1);
          const m = Math.min(len - i, p.n - off);
          out.set(pool.subarray(off, off + m), i);
          i += m;
        }
        return out;
      };
      await writer.writeRows(r, take(p.features, 0), TASKS.map((_, t) => take(p.grads, t + 1)));
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

async function scoreFile(file) {
  const reader = await openCapture(file);
  try {
    return await scoreCapture(reader, OPTIONS);
  } finally {
    await reader.close();
  }
}

const cpuSeconds = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

async function timeFile(file, repeat) {
  await scoreFile(file); // warm-up (JIT, page cache)
  const seconds = [];
  const cpu = [];
  let last;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    last = await scoreFile(file);
    cpu.push(cpuSeconds(c0));
    seconds.push((performance.now() - t0) / 1000);
  }
  return { seconds, cpu, last };
}

/** The same scoring with every chunk already in memory: compute alone. */
async function timeInMemory(file, repeat) {
  const reader = await openCapture(file);
  const chunks = [];
  for await (const c of reader.chunks()) chunks.push(c);
  await reader.close();
  const source = { info: reader.info, async *chunks() { yield* chunks; } };
  await scoreCapture(source, OPTIONS);
  const seconds = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await scoreCapture(source, OPTIONS);
    seconds.push((performance.now() - t0) / 1000);
  }
  return seconds;
}

function relDiff(a, b) {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

async function child(file) {
  const t0 = performance.now();
  const s = await scoreFile(file);
  const seconds = (performance.now() - t0) / 1000;
  const elements = s.info.shape.reduce((a, b) => a * b, 1);
  process.stdout.write(`${JSON.stringify({ seconds, elements, max_rss_mb: process.resourceUsage().maxRSS / 1024, fd: s.fd.fd })}\n`);
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'mtl-fd-bench-score-'));
  try {
    const shape = [64, 16, 16, 256];
    const elements = shape.reduce((a, b) => a * b, 1);
    const file = join(dir, 'bench.safetensors');
    await writeBench(file, shape);

    const js = await timeFile(file, REPEAT);
    const jsMemory = await timeInMemory(file, REPEAT);
    const jsMedian = median(js.seconds);

    let numpy = { skipped: 'python3 with numpy not found' };
    // (python3 missing: spawnSync reports an error; numpy missing: exit 1 with an ImportError)
    const py = spawnSync('python3', [fileURLToPath(new URL('../baselines/score_numpy.py', import.meta.url)), file, '--repeat', String(REPEAT)], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    if (py.status !== 0 && py.stderr) numpy.detail = py.stderr.trim().split('\n').pop();
    if (py.status === 0) {
      const r = JSON.parse(py.stdout.trim().split('\n').pop());
      const s = js.last.fd;
      const g = js.last.grad;
      const pairs = [];
      for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) pairs.push(s.fd_pair[a][b]);
      const ours = [s.fd, s.fd_mass, ...s.fd_task, ...pairs, g.cond, ...g.norm];
      const theirs = [r.scores.fd, r.scores.fd_mass, ...r.scores.fd_task, ...r.scores.fd_pair, r.scores.grad_cond, ...r.scores.grad_norm];
      numpy = {
        version: r.numpy,
        median_s: r.median_s,
        cpu_median_s: r.cpu_median_s,
        elements_per_s: r.elements / r.median_s,
        max_rel_diff_vs_js: Math.max(...ours.map((v, i) => relDiff(v, theirs[i]))),
      };
    }

    // ~1 GB capture: 4 float32 tensors of 1024 x 32 x 32 x 64
    const bigShape = [1024, 32, 32, 64];
    const bigFile = join(dir, 'big.safetensors');
    await writeBench(bigFile, bigShape);
    const c = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', bigFile], { encoding: 'utf8' });
    let big = { error: `child exited ${c.status}: ${(c.stderr ?? '').trim().split('\n')[0]}` };
    if (c.status === 0) {
      const r = JSON.parse(c.stdout.trim().split('\n').pop());
      big = {
        file_mb: (4 * 4 * r.elements) / 1e6,
        seconds: r.seconds,
        elements_per_s: r.elements / r.seconds,
        max_rss_mb: r.max_rss_mb,
        target_max_rss_mb: 400,
      };
    }

    const result = {
      capture: { shape, tasks: TASKS.length, dtype: 'F32', layout: 'NHWC', options: OPTIONS },
      // throughput counts feature elements (B x rowSize); each comes with T = 3 gradient values
      elements,
      repeat: REPEAT,
      js: {
        median_s: jsMedian,
        cpu_median_s: median(js.cpu),
        elements_per_s: elements / jsMedian,
        in_memory_median_s: median(jsMemory),
        in_memory_elements_per_s: elements / median(jsMemory),
      },
      numpy,
      // wall-clock ratio, and the CPU-time ratio (steadier on a shared machine)
      speedup_vs_numpy: numpy.median_s ? numpy.median_s / jsMedian : null,
      speedup_vs_numpy_cpu: numpy.cpu_median_s ? numpy.cpu_median_s / median(js.cpu) : null,
      target_speedup: 2,
      big_capture: big,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
