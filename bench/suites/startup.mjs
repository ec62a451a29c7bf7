// Start-up cost of the `mtl-fd` command against bare Node, timed in the same run: the
// median wall time of `node -e 0`, `mtl-fd --version`, `mtl-fd --help` and `mtl-fd
// score` of one small capture (the demo's 25 KB capture, cache off so it is scored every
// time), each through the committed bin as npm links it. Targets (issue 11): --version
// and --help within 3x of bare Node, score within 4x.
// Prints one JSON line: medians (ms), ratios to bare Node, and whether each is on target.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/cli/bin/mtl-fd.js', import.meta.url));
const CAPTURE = fileURLToPath(new URL('../../fixtures/demo/runs/ew/captures/step-00000000.safetensors', import.meta.url));
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const TARGETS = { version: 3, help: 3, score: 4 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// a copy in a temporary run directory: nothing is written next to the fixture
const root = await mkdtemp(join(tmpdir(), 'mtl-fd-bench-startup-'));
try {
  await mkdir(join(root, 'ew', 'captures'), { recursive: true });
  const capture = join(root, 'ew', 'captures', 'step-00000000.safetensors');
  await copyFile(CAPTURE, capture);
  const cases = {
    node: ['-e', '0'],
    version: [BIN, '--version'],
    help: [BIN, '--help'],
    score: [BIN, 'score', '--no-cache', capture],
  };
  for (const args of Object.values(cases)) timed(args); // warm-up (page cache)
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  // interleaved, so a slow moment of the machine hits every case alike
  for (let i = 0; i < REPEAT; i++) for (const [k, args] of Object.entries(cases)) samples[k].push(timed(args));
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
  const ratio = Object.fromEntries(Object.keys(TARGETS).map((k) => [k, Number((median(samples[k]) / median(samples.node)).toFixed(2))]));
  const onTarget = Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, ratio[k] <= t]));
  process.stdout.write(
    `${JSON.stringify({
      repeat: REPEAT,
      median_ms: ms,
      ratio_to_node: ratio,
      target_ratio: TARGETS,
      on_target: onTarget,
      samples_ms: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(Math.round)])),
    })}\n`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
