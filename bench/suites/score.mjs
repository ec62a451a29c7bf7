// Scoring throughput of `scoreCapture` (every score of one capture in one pass)
// against a plain-numpy implementation of the same formulas, timed in the same
// run (when numpy is present its scores must agree with mtl-fd's to 1e-6 relative, or
// the suite exits non-zero naming the difference), and the peak memory of scoring a ~1 GB capture in a child process.
// Imports the built package: run `npm run build` first (npm run bench does).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** docs/metrics.md: agreement with a float64 evaluation to 1e-6 relative (absolute near zero). */
const REL_TOLERANCE = 1e-6;
const ABS_TOLERANCE = 1e-12;

/** Debian's python3 (the one apt installs numpy for), else the first on PATH. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The scores both sides compute, by name: FD and the feature-gradient identifiers. */
function ourScores(last) {
  const s = last.fd;
  const g = last.grad;
  const pairs = (m) => {
    const out = [];
    for (let a = 0; a < m.length; a++) for (let b = a + 1; b < m.length; b++) out.push(m[a][b]);
    return out;
  };
  const finite = (v) => (Number.isFinite(v) ? v : null);
  return {
    fd: s.fd,
    fd_mass: s.fd_mass,
    fd_task: s.fd_task.map(finite),
    fd_pair: pairs(s.fd_pair).map(finite),
    dead_units: s.dead_units,
    units: s.units,
    grad_norm: g.norm,
    grad_norm_share: g.norm_share,
    grad_cos: pairs(g.cos),
    grad_gms: pairs(g.gms),
    grad_cos_mean: g.cos_mean,
    grad_conflict_frac: g.conflict_frac,
    grad_cond: finite(g.cond),
  };
}

/** Every disagreement beyond the tolerance, and the largest relative difference. */
function compare(ours, theirs) {
  const mismatches = [];
  let maxRel = 0;
  for (const [name, mine] of Object.entries(ours)) {
    const a = [mine].flat();
    const b = [theirs[name]].flat();
    if (a.length !== b.length) {
      mismatches.push(`${name}: ${a.length} values, numpy has ${b.length}`);
      continue;
    }
    a.forEach((x, i) => {
      const y = b[i];
      const at = a.length > 1 ? `${name}[${i}]` : name;
      if (x === null || y === null || y === undefined) {
        if (x !== y) mismatches.push(`${at}: mtl-fd ${x}, numpy ${y}`);
        return;
      }
      const diff = Math.abs(x - y);
      const rel = diff / Math.max(Math.abs(y), 1e-300);
      if (y !== 0) maxRel = Math.max(maxRel, rel);
      if (diff > ABS_TOLERANCE && rel > REL_TOLERANCE) mismatches.push(`${at}: mtl-fd ${x}, numpy ${y} (relative difference ${rel.toExponential(2)})`);
    });
  }
  return { mismatches, maxRel };
}

/**
 * The numpy baseline's timing and its agreement with mtl-fd's scores of the same file.
 * Without numpy it is skipped; with numpy, a baseline that fails or disagrees is an
 * error (`mismatches`), which makes the suite exit non-zero.
 */
function numpyBaseline(file, last) {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
  if (probe.status !== 0) return { skipped: `${PYTHON} with numpy not found` };
  const py = spawnSync(PYTHON, [fileURLToPath(new URL('../baselines/score_numpy.py', import.meta.url)), file, '--repeat', String(REPEAT)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (py.status !== 0) return { mismatches: [`the numpy baseline exited ${py.status}: ${(py.stderr ?? '').trim().split('\n').pop()}`] };
  const r = JSON.parse(py.stdout.trim().split('\n').pop());
  const { mismatches, maxRel } = compare(ourScores(last), r.scores);
  return {
    version: r.numpy,
    median_s: r.median_s,
    cpu_median_s: r.cpu_median_s,
    elements_per_s: r.elements / r.median_s,
    max_rel_diff_vs_js: maxRel,
    tolerance: REL_TOLERANCE,
    ...(mismatches.length > 0 ? { mismatches } : {}),
  };
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

    const numpy = numpyBaseline(file, js.last);
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
    if (numpy.mismatches) {
      for (const m of numpy.mismatches) process.stderr.write(`bench score: numpy disagrees: ${m}\n`);
      process.exitCode = 1;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
